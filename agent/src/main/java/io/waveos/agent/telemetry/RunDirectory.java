package io.waveos.agent.telemetry;

import io.waveos.bundles.json.Json;
import io.waveos.agent.platform.Storage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run's folder, {@code LOGS/runs/<run-id>/}, holding {@code events.jsonl} and
 * {@code run_meta.json}; {@code LOGS/runs/current} points at the newest.
 *
 * <p>A run id is {@code <yyyyMMdd'T'HHmmss'Z'>-<n>}: the start in UTC, then a counter that only grows.
 * The counter lives in {@code STATE/run_counter} (decimal, written atomically). The next number is one
 * more than both the counter and the largest number among existing run folders, so a lost or corrupt
 * counter file never makes a number repeat; a corrupt one is reported in {@link #counterRepair()}.
 */
public final class RunDirectory {

    static final String COUNTER_FILE = "run_counter";
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern RUN_NAME = Pattern.compile("\\d{8}T\\d{6}Z-(\\d{1,18})");
    private static final Pattern COUNTER = Pattern.compile("(\\d{1,18})\n?");

    private final Storage storage;
    private final String runId;
    private final Path path;
    private final Optional<String> counterRepair;

    private RunDirectory(Storage storage, String runId, Path path, Optional<String> counterRepair) {
        this.storage = storage;
        this.runId = runId;
        this.path = path;
        this.counterRepair = counterRepair;
    }

    /**
     * Allocates the next run id, creates {@code logs/runs/<run-id>/} and points
     * {@code logs/runs/current} at it (a relative link, so the tree can be copied elsewhere).
     *
     * @param logs the LOGS directory
     * @param state the STATE directory, where {@code run_counter} lives
     * @param started this run's start (wall time), which names it
     */
    public static RunDirectory create(Storage storage, Path logs, Path state, Instant started) throws IOException {
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(started, "started");
        Path runs = logs.resolve("runs");
        Path counterFile = state.resolve(COUNTER_FILE);
        long highestFolder = 0;
        for (String name : storage.list(runs)) {
            Matcher m = RUN_NAME.matcher(name);
            if (m.matches()) {
                highestFolder = Math.max(highestFolder, Long.parseLong(m.group(1)));
            }
        }
        Optional<String> repair = Optional.empty();
        long counter = 0;
        Optional<byte[]> stored = storage.read(counterFile);
        if (stored.isPresent()) {
            String text = new String(stored.get(), StandardCharsets.UTF_8);
            Matcher m = COUNTER.matcher(text);
            if (m.matches()) {
                counter = Long.parseLong(m.group(1));
            } else {
                repair = Optional.of(counterFile + " is corrupt: expected a decimal number, found "
                        + stored.get().length + " other bytes; numbering continues after the highest run folder ("
                        + highestFolder + ")");
            }
        }
        long next = Math.max(counter, highestFolder) + 1;
        String runId = STAMP.format(started) + "-" + next;
        // Persist the number before using it: a power cut after this skips a number, never reuses one.
        storage.createDirectories(state);
        storage.writeAtomically(counterFile, (next + "\n").getBytes(StandardCharsets.US_ASCII));
        Path path = runs.resolve(runId);
        storage.createDirectories(path);
        storage.replaceSymlink(runs.resolve("current"), Path.of(runId));
        return new RunDirectory(storage, runId, path, repair);
    }

    public String runId() {
        return runId;
    }

    /** {@code LOGS/runs/<run-id>}. */
    public Path path() {
        return path;
    }

    public Path eventsFile() {
        return path.resolve("events.jsonl");
    }

    /** {@code metrics.csv} (see {@link MetricsCsv}). */
    public Path metricsFile() {
        return path.resolve("metrics.csv");
    }

    public Path runMetaFile() {
        return path.resolve("run_meta.json");
    }

    /** What was wrong with {@code run_counter} and how the id was chosen anyway; empty when nothing was. */
    public Optional<String> counterRepair() {
        return counterRepair;
    }

    /**
     * Writes {@code run_meta.json} atomically (durable when this returns).
     *
     * @throws IllegalArgumentException when {@code meta} is for another run
     */
    public void writeMeta(RunMeta meta) throws IOException {
        if (!meta.runId().equals(runId)) {
            throw new IllegalArgumentException("run_meta for " + meta.runId() + " written into run " + runId);
        }
        storage.writeAtomically(runMetaFile(), meta.toJson());
    }
}
