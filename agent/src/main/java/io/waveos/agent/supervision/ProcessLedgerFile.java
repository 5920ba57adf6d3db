package io.waveos.agent.supervision;

import io.waveos.agent.platform.ProcessIdentity;
import io.waveos.agent.platform.Storage;
import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.EventCode;
import io.waveos.agent.telemetry.EventSink;
import io.waveos.bundles.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The process ledger as a file ({@code STATE/processes.json}): the boot id and, per service, the pid,
 * process group and start time of its live process. Replaced atomically after every launch and exit,
 * so a {@code kill -9} of the agent at any moment leaves either the old or the new list.
 *
 * <p>Written without fsync (see {@link Storage#replaceAtomically}): the restart path stays free of
 * disk flushes.
 *
 * <p>Format: {@code {"boot_id":"...","processes":{"svc":{"pid":1,"pgid":1,"start_ticks":2}}}}.
 */
public final class ProcessLedgerFile implements ProcessLedger {
    private final Storage storage;
    private final Path file;
    private final String bootId;
    private final EventSink events;
    private boolean failing;
    /** What the file holds now; an unchanged ledger is not written again (one fsync less per restart). */
    private String written = "";

    public ProcessLedgerFile(Storage storage, Path file, String bootId, EventSink events) {
        this.storage = storage;
        this.file = file;
        this.bootId = bootId;
        this.events = events;
    }

    @Override
    public void record(Map<String, ProcessIdentity> running) {
        Map<String, Object> procs = new LinkedHashMap<>();
        for (Map.Entry<String, ProcessIdentity> e : running.entrySet()) {
            ProcessIdentity p = e.getValue();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("pid", p.pid());
            m.put("pgid", p.pgid());
            m.put("start_ticks", p.startTicks());
            procs.put(e.getKey(), m);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("boot_id", bootId);
        doc.put("processes", procs);
        String text = Json.write(doc);
        if (text.equals(written)) {
            return;
        }
        try {
            // Atomic but not fsynced: the ledger must survive a crash of the agent, not a power cut
            // (after one, every process it names is gone and the boot id differs).
            storage.replaceAtomically(file, text.getBytes(StandardCharsets.UTF_8));
            written = text;
            failing = false;
        } catch (IOException e) {
            if (!failing) {
                failing = true;
                events.emit(Event.of(EventCode.STATE_WRITE_FAILED, "agent", "cannot write the process ledger "
                        + file + ": " + e.getMessage() + "; a crash now could leave services running unrecorded"
                        + " (the environment marker still finds them)"));
            }
        }
    }

    /**
     * What the previous generation recorded, if it was written during this boot (after a reboot its
     * processes are gone). A missing file is an empty ledger.
     *
     * @throws IOException when the file cannot be read or is not a valid ledger; the message names the
     *     file and what is wrong
     */
    public Map<String, ProcessIdentity> readPrevious() throws IOException {
        Optional<byte[]> bytes = storage.read(file);
        if (bytes.isEmpty()) {
            return Map.of();
        }
        try {
            Map<String, Object> doc = Json.parseObject(bytes.get());
            if (!bootId.equals(doc.get("boot_id"))) {
                return Map.of();
            }
            Object procs = doc.get("processes");
            if (!(procs instanceof Map<?, ?> pm)) {
                throw new IOException(file + ": \"processes\" is not an object");
            }
            Map<String, ProcessIdentity> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : pm.entrySet()) {
                if (!(e.getValue() instanceof Map<?, ?> p)) {
                    throw new IOException(file + ": entry " + e.getKey() + " is not an object");
                }
                out.put(String.valueOf(e.getKey()), new ProcessIdentity(number(p, "pid"), number(p, "pgid"),
                        number(p, "start_ticks")));
            }
            return out;
        } catch (Json.ParseException | IllegalArgumentException e) {
            throw new IOException(file + ": not a valid process ledger: " + e.getMessage(), e);
        }
    }

    private long number(Map<?, ?> m, String key) throws IOException {
        Object v = m.get(key);
        if (!(v instanceof Long l)) {
            throw new IOException(file + ": \"" + key + "\" is not an integer");
        }
        return l;
    }
}
