package io.waveos.agent.evidence;

import io.waveos.agent.config.EvidenceConfig;
import io.waveos.agent.platform.MonotonicClock;
import io.waveos.agent.platform.Storage;
import io.waveos.agent.platform.WallClock;
import io.waveos.agent.platform.Worker;
import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.EventCode;
import io.waveos.agent.telemetry.MetricsCsv;
import io.waveos.agent.telemetry.Redaction;
import io.waveos.agent.telemetry.Sample;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The {@link Incidents} port: decides on the loop whether an incident gets a pack (packs of the same
 * kind and subject at most once per {@code min_interval}; operator packs always), snapshots the
 * metrics window there, then reads the files, builds, signs and writes the pack on the worker, and
 * trims the archive to its caps (count and total size; oldest first). Each outcome comes back to the
 * loop as one event ({@code evidence.pack_written} or {@code evidence.pack_failed}) through
 * {@code report}, the only thing the worker job hands back.
 *
 * <p>{@link #report} and {@link #observe} run on the loop only.
 */
public final class EvidenceArchive implements Incidents {

    /** Ports: storage, the worker packs are built on, clocks, and how a worker job reports an event. */
    public record Ports(Storage storage, Worker worker, WallClock wall, MonotonicClock clock,
            Consumer<Event> reportFromWorker) {
    }

    /**
     * Facts about this run.
     *
     * @param serviceLogs the folder of the services' {@code NAME.stdout.log} and {@code NAME.stderr.log}
     * @param versions agent, config_sha256, and policy when known (read at each pack)
     * @param spool the log spool's folder: when present, log tails are taken from it
     *     ({@code logs/NAME.stdout.log} and {@code .stderr.log} as text lines of docs/spool.md), else
     *     from the output files in {@code serviceLogs}
     */
    public record Run(String deviceId, String runId, Path runMeta, Path events, Path serviceLogs,
            Supplier<Map<String, String>> versions, Redaction redaction, Optional<Path> spool) {
        /** A run whose log tails come from the output files. */
        public Run(String deviceId, String runId, Path runMeta, Path events, Path serviceLogs,
                Supplier<Map<String, String>> versions, Redaction redaction) {
            this(deviceId, runId, runMeta, events, serviceLogs, versions, redaction, Optional.empty());
        }
    }

    private final EvidenceConfig config;
    private final Run run;
    private final Ports ports;
    private final Supplier<List<Sample>> metricsWindow;
    private final Map<String, Long> lastPackNanos = new HashMap<>();
    private final List<Path> updateEvidence = new ArrayList<>();
    private long packs;
    /** Touched by the worker only. */
    private Optional<KeyPair> key = Optional.empty();

    public EvidenceArchive(EvidenceConfig config, Run run, Ports ports, Supplier<List<Sample>> metricsWindow) {
        this.config = config;
        this.run = run;
        this.ports = ports;
        this.metricsWindow = metricsWindow;
    }

    /** How often a scheduled pack is made; empty: never. */
    public java.util.Optional<java.time.Duration> schedule() {
        return config.enabled() ? config.schedule() : Optional.empty();
    }

    @Override
    public void report(Incident incident) {
        pack(incident, reply -> { });
    }

    /** An operator's pack: never rate-limited; {@code done} gets the path written or the failure. */
    public void export(String operator, Consumer<String> done) {
        Incident incident = new Incident(IncidentKind.OPERATOR, "operator", "asked for by " + operator, List.of());
        lastPackNanos.remove(IncidentKind.OPERATOR.wire() + "/operator");
        pack(incident, done);
    }

    /** Triggers from the event stream: crash loops, SAFE, rollbacks, Guardian resets. */
    public void observe(Event e) {
        switch (e.code()) {
            case INTENSITY_EXCEEDED -> report(new Incident(IncidentKind.CRASH_LOOP, e.subject(), e.reason(),
                    List.of(e.subject())));
            case MODE_CHANGED -> {
                if ("SAFE".equals(e.fields().get("to"))) {
                    report(new Incident(IncidentKind.SAFE_MODE, "mode", e.reason(), List.of()));
                }
            }
            case UPDATE_ROLLED_BACK, UPDATE_ROLLBACK_FAILED -> report(new Incident(IncidentKind.ROLLBACK,
                    e.subject(), e.reason(), List.of()));
            case EVIDENCE_WRITTEN -> {
                if (e.fields().get("file") instanceof String f && !f.isEmpty()) {
                    updateEvidence.add(Path.of(f));
                    while (updateEvidence.size() > 8) {
                        updateEvidence.remove(0);
                    }
                }
            }
            case COMPANION_RESET_WITNESS -> {
                if (Boolean.TRUE.equals(e.fields().get("guardian_reset_device"))) {
                    report(new Incident(IncidentKind.GUARDIAN_RESET, "companion", e.reason(), List.of()));
                }
            }
            default -> {
                // other events are not incidents by themselves (policy rules report their own)
            }
        }
    }

    /** At start: the previous run ended in a watchdog reset ({@code previous_stop} as in run_meta). */
    public void previousRun(String previousStop, String detail) {
        if (previousStop.equals("watchdog_reset")) {
            report(new Incident(IncidentKind.WATCHDOG_RESET, "agent", detail, List.of()));
        }
    }

    private void pack(Incident incident, Consumer<String> done) {
        if (!config.enabled()) {
            done.accept("error evidence packs are disabled (evidence.enabled: false)\n");
            return;
        }
        String limitKey = incident.kind().wire() + "/" + incident.subject();
        long now = ports.clock().nanos();
        Long last = lastPackNanos.get(limitKey);
        if (last != null && now - last < config.minInterval().toNanos()) {
            return; // same incident again within min_interval: the earlier pack covers it
        }
        lastPackNanos.put(limitKey, now);
        packs++;
        String packId = run.runId() + "-" + packs;
        String metrics = MetricsCsv.HEADER + "\n" + MetricsCsv.rows(metricsWindow.get());
        List<Path> updates = incident.kind() == IncidentKind.ROLLBACK ? List.copyOf(updateEvidence) : List.of();
        Map<String, String> versions = run.versions().get();
        java.time.Instant created = ports.wall().now();
        ports.worker().run(() -> {
            Path file = config.dir().resolve(PackFormat.FILE_PREFIX + packId + "-" + incident.kind().wire()
                    + PackFormat.FILE_SUFFIX);
            try {
                byte[] pack = build(new PackContent(packId, created, run.deviceId(), run.runId(),
                        redacted(incident), versions, read(run.runMeta()), read(run.events()),
                        metrics.getBytes(StandardCharsets.US_ASCII), extras(incident, updates)));
                ports.storage().createDirectories(config.dir());
                ports.storage().writeAtomically(file, pack);
                int removed = trim();
                ports.reportFromWorker().accept(Event.of(EventCode.EVIDENCE_PACK_WRITTEN, incident.subject(),
                        "evidence pack for " + incident.kind().wire(), "kind", incident.kind().wire(), "file",
                        file.toString(), "bytes", (long) pack.length, "removed_old", removed));
                done.accept("ok " + file + "\n");
            } catch (IOException | RuntimeException e) {
                ports.reportFromWorker().accept(Event.of(EventCode.EVIDENCE_PACK_FAILED, incident.subject(),
                        "could not write the evidence pack for " + incident.kind().wire() + ": " + e.getMessage(),
                        "kind", incident.kind().wire(), "file", file.toString()));
                done.accept("error could not write the evidence pack: " + e.getMessage() + "\n");
            }
        });
    }

    private byte[] build(PackContent content) throws IOException {
        if (key.isEmpty()) {
            key = Optional.of(DeviceKey.loadOrCreate(ports.storage(), config.key()));
        }
        return PackWriter.build(content, key.get(), config.maxPackBytes());
    }

    private Incident redacted(Incident i) {
        Redaction r = run.redaction();
        return new Incident(i.kind(), r.apply(i.subject()), r.apply(i.reason()), i.services());
    }

    private Map<String, byte[]> extras(Incident incident, List<Path> updates) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (Path u : updates) {
            Optional<byte[]> bytes = ports.storage().read(u);
            if (bytes.isPresent()) {
                out.put("update/" + u.getFileName(), run.redaction().apply(bytes.get()));
            }
        }
        for (String service : incident.services()) {
            for (String stream : List.of("stdout", "stderr")) {
                String name = service + "." + stream + ".log";
                Optional<byte[]> bytes = logTail(service, stream, name);
                if (bytes.isPresent()) {
                    out.put("logs/" + name, run.redaction().apply(tail(bytes.get(), config.logTailBytes())));
                }
            }
        }
        return out;
    }

    /** A service stream's newest lines: from the spool when there is one, else from its output file. */
    private Optional<byte[]> logTail(String service, String stream, String fileName) throws IOException {
        if (run.spool().isEmpty()) {
            return ports.storage().read(run.serviceLogs().resolve(fileName));
        }
        io.waveos.agent.spool.Stream s = stream.equals("stdout") ? io.waveos.agent.spool.Stream.STDOUT
                : io.waveos.agent.spool.Stream.STDERR;
        byte[] tail = io.waveos.agent.spool.SpoolExport.tail(ports.storage(), run.spool().get(), service,
                Optional.of(s), config.logTailBytes());
        return tail.length == 0 ? Optional.empty() : Optional.of(tail);
    }

    private byte[] read(Path p) throws IOException {
        return ports.storage().read(p).orElse(new byte[0]);
    }

    /** The last {@code limit} bytes, starting after a newline when the cut falls inside a line. */
    static byte[] tail(byte[] bytes, long limit) {
        if (bytes.length <= limit) {
            return bytes;
        }
        return PackWriter.frontCut(bytes, limit, 0);
    }

    /** Deletes the oldest packs beyond the count and total-size caps; returns how many. */
    private int trim() throws IOException {
        List<String> names = packFiles(ports.storage(), config.dir());
        long total = 0;
        List<Long> sizes = new ArrayList<>();
        for (String n : names) {
            long size = ports.storage().size(config.dir().resolve(n)).orElse(0L);
            sizes.add(size);
            total += size;
        }
        int removed = 0;
        for (int i = 0; i < names.size() - 1 && (names.size() - removed > config.keepPacks()
                || total > config.maxTotalBytes()); i++) {
            ports.storage().delete(config.dir().resolve(names.get(i)));
            total -= sizes.get(i);
            removed++;
        }
        return removed;
    }

    /** The pack files in {@code dir}, oldest first (names sort by run, then by number). */
    public static List<String> packFiles(Storage storage, Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        for (String n : storage.list(dir)) {
            if (n.startsWith(PackFormat.FILE_PREFIX) && n.endsWith(PackFormat.FILE_SUFFIX)) {
                out.add(n);
            }
        }
        out.sort(java.util.Comparator.comparing(EvidenceArchive::sortKey));
        return out;
    }

    /** Run id stamp, run number and pack number, so that pack 10 sorts after pack 9. */
    private static String sortKey(String name) {
        String[] parts = name.substring(PackFormat.FILE_PREFIX.length()).split("-");
        if (parts.length < 3) {
            return name;
        }
        return parts[0] + String.format("%020d", parse(parts[1])) + String.format("%020d", parse(parts[2]));
    }

    private static long parse(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
