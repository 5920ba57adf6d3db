package io.waveos.agent.watchdog;

import io.waveos.agent.platform.Storage;
import io.waveos.bundles.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What each run records about itself in the STATE directory, so that the next run can tell how it
 * ended. Every write is atomic and durable when the method returns ({@link Storage#writeAtomically}).
 *
 * <ul>
 *   <li>{@code last_run.json} {@code {run_id, boot_id, started}}: written at start;
 *   <li>{@code clean_shutdown.json} {@code {run_id, time}}: written at a clean exit, consumed at the
 *       next start;
 *   <li>{@code reboot_intent.json} {@code {run_id, boot_id, reason, time}}: written before a reboot is
 *       requested, consumed at the next start.
 * </ul>
 *
 * <p>Start order: {@link #readPrevious()}, classify, then {@link #recordStart}. Not thread-safe.
 */
public final class RunLedger {

    /** The files the ledger keeps. */
    public enum StateFile {
        LAST_RUN("last_run.json"),
        CLEAN_SHUTDOWN("clean_shutdown.json"),
        REBOOT_INTENT("reboot_intent.json");

        private final String fileName;

        StateFile(String fileName) {
            this.fileName = fileName;
        }

        public String fileName() {
            return fileName;
        }
    }

    public record LastRun(String runId, String bootId, Instant started) {
        public LastRun {
            requireText(runId, "run_id");
            requireText(bootId, "boot_id");
            Objects.requireNonNull(started, "started");
        }
    }

    public record CleanShutdown(String runId, Instant time) {
        public CleanShutdown {
            requireText(runId, "run_id");
            Objects.requireNonNull(time, "time");
        }
    }

    public record RebootIntent(String runId, String bootId, String reason, Instant time) {
        public RebootIntent {
            requireText(runId, "run_id");
            requireText(bootId, "boot_id");
            requireText(reason, "reason");
            Objects.requireNonNull(time, "time");
        }
    }

    /**
     * What the previous run left behind, read at start.
     *
     * @param unreadable the files that exist but could not be read or parsed, each with a sentence
     *     naming the file and the error; such a file's value is empty
     */
    public record Previous(Optional<LastRun> lastRun, Optional<CleanShutdown> cleanShutdown,
            Optional<RebootIntent> rebootIntent, Map<StateFile, String> unreadable) {
        public Previous {
            Objects.requireNonNull(lastRun, "lastRun");
            Objects.requireNonNull(cleanShutdown, "cleanShutdown");
            Objects.requireNonNull(rebootIntent, "rebootIntent");
            unreadable = Map.copyOf(unreadable);
            if (unreadable.containsKey(StateFile.LAST_RUN) && lastRun.isPresent()
                    || unreadable.containsKey(StateFile.CLEAN_SHUTDOWN) && cleanShutdown.isPresent()
                    || unreadable.containsKey(StateFile.REBOOT_INTENT) && rebootIntent.isPresent()) {
                throw new IllegalArgumentException("a file cannot be both read and unreadable: " + unreadable);
            }
        }

        /** Nothing recorded: a device on which the agent never ran. */
        public static Previous none() {
            return new Previous(Optional.empty(), Optional.empty(), Optional.empty(), Map.of());
        }
    }

    private final Storage storage;
    private final Path stateDir;

    public RunLedger(Storage storage, Path stateDir) {
        this.storage = Objects.requireNonNull(storage, "storage");
        this.stateDir = Objects.requireNonNull(stateDir, "stateDir");
    }

    /** Path of one of the ledger's files. */
    public Path path(StateFile file) {
        return stateDir.resolve(file.fileName());
    }

    /**
     * Reads the three files. Never throws: a file that cannot be read or parsed is reported in
     * {@link Previous#unreadable()}, so a corrupt state file cannot stop the agent from starting.
     */
    public Previous readPrevious() {
        EnumMap<StateFile, String> unreadable = new EnumMap<>(StateFile.class);
        Optional<LastRun> lastRun = read(StateFile.LAST_RUN, unreadable,
                m -> new LastRun(text(m, "run_id"), text(m, "boot_id"), time(m, "started")));
        Optional<CleanShutdown> clean = read(StateFile.CLEAN_SHUTDOWN, unreadable,
                m -> new CleanShutdown(text(m, "run_id"), time(m, "time")));
        Optional<RebootIntent> intent = read(StateFile.REBOOT_INTENT, unreadable,
                m -> new RebootIntent(text(m, "run_id"), text(m, "boot_id"), text(m, "reason"), time(m, "time")));
        return new Previous(lastRun, clean, intent, unreadable);
    }

    /**
     * Records this run as the last one and consumes the previous run's markers.
     */
    public void recordStart(String runId, String bootId, Instant started) throws IOException {
        LastRun run = new LastRun(runId, bootId, started);
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        m.put("run_id", run.runId());
        m.put("boot_id", run.bootId());
        m.put("started", Json.time(run.started()));
        storage.createDirectories(stateDir);
        // Record the new run before consuming the old markers: a power cut in between leaves a marker
        // naming the old run, which the next start ignores; the other order would leave the old run
        // without its clean marker and misclassify it as a crash.
        write(StateFile.LAST_RUN, m);
        storage.delete(path(StateFile.CLEAN_SHUTDOWN));
        storage.delete(path(StateFile.REBOOT_INTENT));
    }

    /** Records that {@code runId} is exiting cleanly; the last write of a clean shutdown. */
    public void recordCleanShutdown(String runId, Instant time) throws IOException {
        CleanShutdown clean = new CleanShutdown(runId, time);
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        m.put("run_id", clean.runId());
        m.put("time", Json.time(clean.time()));
        storage.createDirectories(stateDir);
        write(StateFile.CLEAN_SHUTDOWN, m);
    }

    /**
     * Records that {@code runId} is about to request a reboot. Call before the reboot, never after:
     * when this returns the intent is durable, so the next start can tell the reboot was planned.
     */
    public void recordRebootIntent(String runId, String bootId, String reason, Instant time) throws IOException {
        RebootIntent intent = new RebootIntent(runId, bootId, reason, time);
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        m.put("run_id", intent.runId());
        m.put("boot_id", intent.bootId());
        m.put("reason", intent.reason());
        m.put("time", Json.time(intent.time()));
        storage.createDirectories(stateDir);
        write(StateFile.REBOOT_INTENT, m);
    }

    private void write(StateFile file, Map<String, Object> content) throws IOException {
        storage.writeAtomically(path(file), (Json.write(content) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The file decoded, empty when absent; problems go to {@code unreadable}. {@code decode} throws
     * IllegalArgumentException for a missing or bad field.
     */
    private <T> Optional<T> read(StateFile file, Map<StateFile, String> unreadable,
            Function<Map<String, Object>, T> decode) {
        Path p = path(file);
        try {
            Optional<byte[]> bytes = storage.read(p);
            if (bytes.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(decode.apply(Json.parseObject(bytes.get())));
        } catch (IOException e) {
            unreadable.put(file, p + " cannot be read: " + e);
        } catch (Json.ParseException e) {
            unreadable.put(file, p + " is not JSON: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            unreadable.put(file, p + " is invalid: " + e.getMessage());
        }
        return Optional.empty();
    }

    private static String text(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof String)) {
            throw new IllegalArgumentException(v == null ? "missing key \"" + key + "\""
                    : "\"" + key + "\" is not a string");
        }
        return (String) v;
    }

    private static Instant time(Map<String, Object> m, String key) {
        String t = text(m, key);
        try {
            return Json.parseTime(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + key + "\": " + e.getMessage(), e);
        }
    }

    private static void requireText(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException("\"" + name + "\" is blank");
        }
    }
}
