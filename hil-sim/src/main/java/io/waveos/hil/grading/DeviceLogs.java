package io.waveos.hil.grading;

import io.waveos.agent.api.PushLedger;
import io.waveos.agent.platform.linux.LinuxStorage;
import io.waveos.agent.spool.Cursor;
import io.waveos.agent.spool.SegmentName;
import io.waveos.agent.spool.SpoolReader;
import io.waveos.agent.spool.SpoolRecord;
import io.waveos.bundles.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * What the agent kept of what it heard and served, read with the agent's own readers: its log spool
 * ({@code logs/spool}, the agent's {@link SpoolReader}), its API's audit log ({@code logs/api-audit.jsonl.1}
 * then {@code logs/api-audit.jsonl}, a torn last line skipped) and its push ledger
 * ({@code STATE/api/pushes.json}, the agent's {@link PushLedger}). Each part is read only when asked for.
 *
 * @param lines       every spool record, in sequence order, stamped on the bench's line
 * @param spoolBytes  the segment files' total size at the end
 * @param segments    how many segment files there are
 * @param corrupt     the corrupt stretches the reader skipped
 * @param audit       every audit line
 * @param pushes      the ledger's pushes by state ({@code rolled_back}...); empty when the agent never opened
 *                    its API's state folder
 */
public record DeviceLogs(List<Line> lines, long spoolBytes, int segments, List<String> corrupt, List<Audit> audit,
        Optional<Map<String, Long>> pushes) {
    public DeviceLogs {
        lines = List.copyOf(lines);
        corrupt = List.copyOf(corrupt);
        audit = List.copyOf(audit);
        pushes = pushes.map(Map::copyOf);
    }

    /** One spool record: its wall stamp, service, stream ({@code stdout}, {@code stderr}, {@code agent}) and text. */
    public record Line(Instant time, String service, String stream, String text) {
    }

    /** One audit decision: its wall stamp, {@code allowed}/{@code denied}/{@code refused}, code, status, path. */
    public record Audit(Instant time, String decision, String code, long status, String path) {
    }

    /** Nothing read (a scenario with no expectation about these records). */
    public static DeviceLogs none() {
        return new DeviceLogs(List.of(), 0, 0, List.of(), List.of(), Optional.empty());
    }

    /**
     * Reads the spool under {@code logs} when {@code spool}, the audit log and the ledger under
     * {@code state} when {@code api}; wall stamps put on the bench's line by {@code onBench}.
     */
    public static DeviceLogs read(Path logs, Path state, UnaryOperator<Instant> onBench, boolean spool, boolean api)
            throws IOException {
        List<Line> lines = new ArrayList<>();
        List<String> corrupt = new ArrayList<>();
        long bytes = 0;
        int segments = 0;
        Path dir = logs.resolve("spool");
        if (spool && Files.isDirectory(dir)) {
            SpoolReader reader = new SpoolReader(new LinuxStorage(), dir);
            for (SegmentName n : reader.segments()) {
                bytes += Files.size(dir.resolve(n.fileName()));
                segments++;
            }
            Optional<Cursor> at = reader.oldest();
            while (at.isPresent()) {
                SpoolReader.Batch b = reader.read(at.get(), 4096);
                for (SpoolRecord r : b.records()) {
                    Instant wall = Instant.EPOCH.plusNanos(Math.multiplyExact(r.wallMicros(), 1000L));
                    lines.add(new Line(onBench.apply(wall), r.service(), r.stream().wire(), r.text()));
                }
                corrupt.addAll(b.corrupt());
                at = b.records().isEmpty() ? Optional.empty() : Optional.of(b.next());
            }
        }
        List<Audit> audit = new ArrayList<>();
        Optional<Map<String, Long>> pushes = Optional.empty();
        if (api) {
            for (Path p : List.of(logs.resolve("api-audit.jsonl.1"), logs.resolve("api-audit.jsonl"))) {
                if (Files.exists(p)) {
                    audit(Files.readAllBytes(p), onBench, audit);
                }
            }
            if (Files.isDirectory(state.resolve("api"))) {
                Map<String, Long> byState = new TreeMap<>();
                PushLedger.open(new LinuxStorage(), state.resolve("api").resolve("pushes.json")).counts()
                        .forEach((k, v) -> byState.put(k.wire(), v));
                pushes = Optional.of(byState);
            }
        }
        return new DeviceLogs(lines, bytes, segments, corrupt, audit, pushes);
    }

    /** Audit lines; a last line without its newline (a torn write) and lines that do not parse are skipped. */
    static void audit(byte[] bytes, UnaryOperator<Instant> onBench, List<Audit> out) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        if (end < 0) {
            return;
        }
        for (String line : text.substring(0, end).split("\n")) {
            try {
                Map<String, Object> m = Json.parseObject(line.getBytes(StandardCharsets.UTF_8));
                out.add(new Audit(onBench.apply(Instant.parse(String.valueOf(m.get("ts")))),
                        String.valueOf(m.get("decision")), String.valueOf(m.get("code")),
                        m.get("status") instanceof Long l ? l : -1, String.valueOf(m.get("path"))));
            } catch (Json.ParseException | RuntimeException e) {
                // an interrupted write's fragment: not a decision the agent completed
                continue;
            }
        }
    }
}
