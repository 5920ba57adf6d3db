package io.waveos.agent.telemetry;

import io.waveos.bundles.json.Json;
import io.waveos.agent.platform.Storage;
import io.waveos.agent.platform.WallClock;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The run's {@code events.jsonl}: one JSON object a line, hash-chained.
 *
 * <p>Each line is {@code {"seq":N,"time":"...","code":"...","subject":"...","reason":"...",
 * "fields":{...},"prev":"<hex>"}} with the keys in exactly that order. {@code seq} starts at 1;
 * {@code time} is the {@link WallClock} in {@link Json#time RFC 3339 UTC with milliseconds};
 * {@code prev} is the lowercase hex SHA-256 of the previous line's bytes without its newline, 64
 * zeros on the first line. A field holding NaN or an infinity is written as a string ({@code "NaN"}),
 * since JSON has no number for it. {@link EventChainVerifier} checks all of this.
 *
 * <p>Durability: when {@link #emit} returns the line has been handed to the OS (it survives a crash of
 * the agent); for a {@link EventCode#durable() durable} code it has also been fsynced (it survives a
 * power cut). Other lines become durable at the next durable event or {@link #sync()}, which the agent
 * calls on its flush timer.
 *
 * <p>Failures: an {@link IOException} never reaches the caller, because the supervisor must keep
 * working on a full or broken disk. Lines that could not be written wait in memory, in order, at most
 * {@value #BACKLOG_LIMIT} of them; newer lines beyond that are counted in {@link #dropped()} and lost
 * (the file then stays a valid chain up to the gap, and the gap shows as a break). Every later
 * {@link #emit} and {@link #sync()} retries the backlog first. Each line is chained when it is made, so
 * lines written late still chain correctly. The start of a failure episode and the recovery are each
 * reported as one line on {@code System.err}, naming the file and the error: standard error (the
 * journal under systemd) is the agent's last-resort diagnostic channel when its own log cannot be
 * written. {@link #failures()} counts failed write and fsync attempts.
 *
 * <p>Not thread-safe: called only from the agent's loop thread. The file is opened on the first write,
 * so construction does no I/O; it should be new (each run has its own {@link RunDirectory}).
 */
public final class EventLog implements EventSink, Closeable {

    /** Lines kept in memory while the file cannot be written. */
    public static final int BACKLOG_LIMIT = 1000;

    static final String GENESIS_PREV = "0".repeat(64);
    private static final byte[] NEWLINE = {'\n'};

    private final Storage storage;
    private final Path file;
    private final WallClock clock;
    private final Consumer<String> diagnostics;
    private final Redaction redaction;
    private final MessageDigest sha256;
    private final ArrayDeque<byte[]> backlog = new ArrayDeque<>();

    private Storage.AppendFile out;
    /** Size of the file if every append so far had been whole; a larger size means a torn write. */
    private long expectedSize;
    private long seq;
    private String prev = GENESIS_PREV;
    private boolean unsynced;
    private boolean failing;
    private boolean closed;
    private long failures;
    private long dropped;

    public EventLog(Storage storage, Path file, WallClock clock) {
        this(storage, file, clock, Redaction.none());
    }

    /**
     * A log that passes every subject, reason and string field through {@code redaction} before the
     * line is made (and chained), so a secret never reaches the file.
     */
    public EventLog(Storage storage, Path file, WallClock clock, Redaction redaction) {
        this(storage, file, clock, System.err::println, redaction);
    }

    /** As the public constructor, with diagnostics sent to {@code diagnostics} instead of stderr. */
    EventLog(Storage storage, Path file, WallClock clock, Consumer<String> diagnostics) {
        this(storage, file, clock, diagnostics, Redaction.none());
    }

    /** As the public constructor, with diagnostics sent to {@code diagnostics} (the simulator's agent stderr). */
    public EventLog(Storage storage, Path file, WallClock clock, Consumer<String> diagnostics, Redaction redaction) {
        this.redaction = Objects.requireNonNull(redaction, "redaction");
        this.storage = Objects.requireNonNull(storage, "storage");
        this.file = Objects.requireNonNull(file, "file");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.diagnostics = Objects.requireNonNull(diagnostics, "diagnostics");
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }

    /**
     * Stamps, chains and writes the event; fsyncs when its code is durable. Never throws for I/O.
     *
     * @throws IllegalStateException after {@link #close()}
     */
    @Override
    public void emit(Event event) {
        if (closed) {
            throw new IllegalStateException(file + " is closed; cannot log " + event.code().wire());
        }
        byte[] line = line(event);
        if (backlog.size() >= BACKLOG_LIMIT) {
            writeBacklog(); // make room if the file is writable again, before deciding to drop
        }
        enqueue(line);
        flush(event.code().durable());
    }

    /** Writes any backlog, then fsyncs what was written and not yet synced. Never throws for I/O. */
    public void sync() {
        flush(true);
    }

    /** Syncs, then closes the file. Lines still in the backlog are lost; see {@link #backlog()}. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        sync();
        closed = true;
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                failed("close", e);
            }
        }
    }

    /** Failed write and fsync attempts so far. */
    public long failures() {
        return failures;
    }

    /** Lines lost because the backlog was full. */
    public long dropped() {
        return dropped;
    }

    /** Lines made but not yet written. */
    public int backlog() {
        return backlog.size();
    }

    /** The sequence number of the last line made (written or not); 0 before the first. */
    public long lastSeq() {
        return seq;
    }

    private byte[] line(Event event) {
        seq++;
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        m.put("seq", seq);
        m.put("time", Json.time(clock.now()));
        m.put("code", event.code().wire());
        m.put("subject", redaction.apply(event.subject()));
        m.put("reason", redaction.apply(event.reason()));
        m.put("fields", writable(event.fields(), redaction));
        m.put("prev", prev);
        byte[] bytes = Json.write(m).getBytes(StandardCharsets.UTF_8);
        prev = HexFormat.of().formatHex(sha256.digest(bytes));
        byte[] withNewline = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, withNewline, 0, bytes.length);
        withNewline[bytes.length] = '\n';
        return withNewline;
    }

    /**
     * JSON has no form for NaN and the infinities: such a field is written as its string form. String
     * values are redacted.
     */
    private static Map<String, Object> writable(Map<String, Object> fields, Redaction redaction) {
        LinkedHashMap<String, Object> copy = new LinkedHashMap<>(fields);
        copy.replaceAll((k, v) -> v instanceof Double d && !Double.isFinite(d) ? d.toString()
                : v instanceof String text ? redaction.apply(text) : v);
        return copy;
    }

    private void enqueue(byte[] line) {
        if (backlog.size() >= BACKLOG_LIMIT) {
            dropped++;
        } else {
            backlog.add(line);
        }
    }

    private void flush(boolean durably) {
        if (writeBacklog() && (!durably || fsync())) {
            recovered();
        }
    }

    /** Writes the backlog in order; true when it is empty afterwards. */
    private boolean writeBacklog() {
        try {
            if (out == null) {
                out = storage.openAppend(file);
                expectedSize = out.size();
                if (expectedSize > 0) {
                    diagnostics.accept("waveos agent: " + file + " already holds " + expectedSize
                            + " bytes; this run's chain starts after them at seq 1");
                }
            }
            if (out.size() != expectedSize) {
                // A write failed part-way: end the torn fragment so the next line starts on a line
                // of its own. The verifier reports the fragment; the lines after it stay parseable.
                out.append(NEWLINE);
                expectedSize = out.size();
                unsynced = true;
            }
            while (!backlog.isEmpty()) {
                byte[] next = backlog.peek();
                out.append(next);
                backlog.remove();
                expectedSize += next.length;
                unsynced = true;
            }
        } catch (IOException e) {
            failed("write", e);
            return false;
        }
        return true;
    }

    private boolean fsync() {
        if (!unsynced) {
            return true;
        }
        try {
            out.sync();
            unsynced = false;
            return true;
        } catch (IOException e) {
            failed("fsync", e);
            return false;
        }
    }

    private void failed(String what, IOException e) {
        failures++;
        if (!failing) {
            failing = true;
            diagnostics.accept("waveos agent: cannot " + what + " event log " + file + ": " + e
                    + " (keeping up to " + BACKLOG_LIMIT + " lines in memory and retrying)");
        }
    }

    private void recovered() {
        if (failing) {
            failing = false;
            diagnostics.accept("waveos agent: event log " + file + " writable again after " + failures
                    + " failed attempts; " + dropped + " lines dropped");
        }
    }
}
