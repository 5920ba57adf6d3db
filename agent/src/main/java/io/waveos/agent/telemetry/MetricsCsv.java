package io.waveos.agent.telemetry;

import io.waveos.agent.platform.Storage;
import io.waveos.bundles.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The run's {@code metrics.csv}: the fixed header {@value #HEADER} and one row per value of each
 * {@link Sample}, e.g. {@code 2026-11-22T08:00:00.000Z,60000,service,modem,rss_bytes,1048576}.
 *
 * <p>Durability: {@link #write} appends whole rows, then fsyncs; nothing else ever changes the file.
 * After a power cut the file holds every row of the last completed write, possibly followed by a
 * fragment of the next one without its newline: readers drop a last line without a newline. A write
 * that failed half-way (disk full) leaves a fragment too; the next write first ends it with a newline,
 * so it stands alone on its line, and readers skip any line that is not six fields with a parseable
 * value. No other corruption is possible.
 *
 * <p>Rotation: before a write that would take the file past {@code maxFileBytes}, {@code metrics.csv.K-1}
 * becomes {@code .K}, ..., {@code metrics.csv} becomes {@code metrics.csv.1} (each an atomic rename;
 * the oldest beyond {@code keepFiles} is deleted) and a new file starts with the header. Each file is
 * complete on its own; the run's series is the files from {@code .K} down to {@code .1}, then
 * {@code metrics.csv}. A single write larger than the cap is written whole.
 *
 * <p>Thread-safe (synchronized): the agent writes from its worker and, at shutdown, from the loop.
 */
public final class MetricsCsv {
    /** The first line of every metrics file. */
    public static final String HEADER = "time,mono_ms,scope,subject,metric,value";

    private final Storage storage;
    private final Path file;
    private final long maxFileBytes;
    private final int keepFiles;
    private Storage.AppendFile out;
    private long expectedSize;
    private long rowsWritten;

    /**
     * @param maxFileBytes rotate before a write would pass this size; at least 4 KiB
     * @param keepFiles rotated files kept, 0..100
     */
    public MetricsCsv(Storage storage, Path file, long maxFileBytes, int keepFiles) {
        this.storage = Objects.requireNonNull(storage, "storage");
        this.file = Objects.requireNonNull(file, "file");
        if (maxFileBytes < 4096 || keepFiles < 0 || keepFiles > 100) {
            throw new IllegalArgumentException("need maxFileBytes >= 4096 and keepFiles in 0..100, were "
                    + maxFileBytes + " and " + keepFiles);
        }
        this.maxFileBytes = maxFileBytes;
        this.keepFiles = keepFiles;
    }

    public Path file() {
        return file;
    }

    /** The rows of {@code samples}, in order, as they appear in the file. */
    public static String rows(List<Sample> samples) {
        StringBuilder b = new StringBuilder();
        for (Sample s : samples) {
            String prefix = Json.time(s.wall()) + "," + Math.floorDiv(s.monoNanos(), 1_000_000) + ",";
            for (Map.Entry<MetricKey, Double> e : s.values().entrySet()) {
                MetricKey k = e.getKey();
                b.append(prefix).append(k.scope().wire()).append(',').append(k.subject()).append(',')
                        .append(k.name()).append(',').append(number(e.getValue())).append('\n');
            }
        }
        return b.toString();
    }

    /** Integral values without a fraction ({@code 1048576}), others as Java writes a double. */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    /**
     * Appends the rows of {@code samples} and fsyncs them (rotating first if needed).
     *
     * @throws IOException when they could not be written or synced; the caller keeps them and retries
     */
    public synchronized void write(List<Sample> samples) throws IOException {
        if (samples.isEmpty()) {
            return;
        }
        byte[] rows = rows(samples).getBytes(StandardCharsets.US_ASCII);
        open();
        if (out.size() != expectedSize) {
            // A write failed part-way: end its fragment so it stands on a line of its own.
            append(new byte[] {'\n'});
        }
        if (out.size() > HEADER.length() + 1 && out.size() + rows.length > maxFileBytes) {
            rotate();
            open();
        }
        append(rows);
        out.sync();
        rowsWritten += samples.stream().mapToLong(s -> s.values().size()).sum();
    }

    /** Rows written and synced since this writer was made. */
    public synchronized long rowsWritten() {
        return rowsWritten;
    }

    /** {@code expectedSize} moves only after a whole append: a larger file then holds a fragment. */
    private void append(byte[] bytes) throws IOException {
        long after = out.size() + bytes.length;
        out.append(bytes);
        expectedSize = after;
    }

    private void open() throws IOException {
        if (out != null) {
            return;
        }
        boolean existed = storage.exists(file);
        out = storage.openAppend(file);
        expectedSize = out.size();
        if (!existed || out.size() == 0) {
            append((HEADER + "\n").getBytes(StandardCharsets.US_ASCII));
        }
    }

    private void rotate() throws IOException {
        out.close();
        out = null;
        Path parent = file.getParent();
        String name = file.getFileName().toString();
        if (keepFiles == 0) {
            storage.delete(file);
            return;
        }
        storage.delete(parent.resolve(name + "." + keepFiles));
        for (int i = keepFiles - 1; i >= 1; i--) {
            try {
                storage.rename(parent.resolve(name + "." + i), parent.resolve(name + "." + (i + 1)));
            } catch (NoSuchFileException e) {
                // fewer rotated files than the cap so far
            }
        }
        storage.rename(file, parent.resolve(name + ".1"));
    }

    /** Closes the file; a later {@link #write} reopens it. */
    public synchronized void close() throws IOException {
        if (out != null) {
            out.close();
            out = null;
        }
    }
}
