package io.waveos.agent.spool;

import io.waveos.agent.config.SpoolConfig;
import io.waveos.agent.platform.MonotonicClock;
import io.waveos.agent.platform.Storage;
import io.waveos.agent.platform.WallClock;
import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.EventCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Appends records to segment files under a durability policy, rotates segments by size and age and
 * enforces retention. Single-threaded: one owner (the {@link Spool}'s writer thread, or a test).
 *
 * <p>Durability: {@link #durableSequence()} is the highest sequence that survives a power cut under
 * the policy ({@code none}: the highest written, as that policy acknowledges on write and leaves
 * durability to the kernel's writeback). Under {@code batch}, {@link #append} fsyncs once
 * {@code batchRecords} are unsynced and {@link #tick} once the oldest unsynced record is
 * {@code batchInterval} old; a segment is always fsynced before it is left.
 *
 * <p>Failures (disk full, read-only folder) never escape: the record is dropped and counted, a
 * {@code spool.write_state} event says so once, the segment is abandoned, and writing is retried at
 * most once per {@link #RETRY_INTERVAL}. The first record after recovery is an agent record telling how
 * many records and bytes were lost.
 */
public final class SpoolWriter implements AutoCloseable {
    static final Duration RETRY_INTERVAL = Duration.ofSeconds(1);

    private final Storage storage;
    private final SpoolConfig config;
    private final WallClock wall;
    private final MonotonicClock mono;
    private final SpoolListener listener;
    private final Deque<Recovery.Segment> closed = new ArrayDeque<>();
    private final SpoolCounters counters;
    /** The segment being appended to (null when none is open) and its size, kept apart: it changes per record. */
    private Recovery.Segment current;
    private long currentBytes;
    private Storage.AppendFile file;
    private long currentOpenedNanos;
    private long nextSequence;
    private long durableSequence;
    private int unsynced;
    private long firstUnsyncedNanos;
    private boolean failing;
    private long retryAtNanos;
    private long lostRecords;
    private long lostBytes;
    private long abandonedSequence = -1;
    private boolean recovered;

    private SpoolWriter(Storage storage, SpoolConfig config, WallClock wall, MonotonicClock mono,
            SpoolListener listener, SpoolCounters counters) {
        this.storage = storage;
        this.config = config;
        this.wall = wall;
        this.mono = mono;
        this.listener = listener;
        this.counters = counters;
    }

    /**
     * Recovers the spool folder (docs/spool.md, "Recovery") and opens it for appending. When the
     * folder cannot be made, listed or repaired (read-only, disk full), the writer starts in the
     * failing state: lines are dropped and counted, and recovery is retried with the next write
     * after {@link #RETRY_INTERVAL}.
     */
    public static SpoolWriter open(Storage storage, SpoolConfig config, WallClock wall, MonotonicClock mono,
            SpoolListener listener, SpoolCounters counters) {
        SpoolWriter w = new SpoolWriter(storage, config, wall, mono, listener, counters);
        try {
            w.recover();
        } catch (IOException e) {
            w.fail(e, mono.nanos());
        }
        return w;
    }

    private void recover() throws IOException {
        storage.createDirectories(config.dir());
        Recovery.Found found = Recovery.recover(storage, config.dir(), listener);
        closed.clear();
        closed.addAll(found.segments());
        nextSequence = found.nextSequence();
        durableSequence = found.nextSequence() - 1;
        // The tail is not reopened: a fresh segment starts at the first record, so this run's records
        // never share a segment with bytes written before the cut.
        enforceRetention();
        recovered = true;
    }

    /**
     * Appends one line with the next sequence number; returns that number, or -1 when the line was
     * dropped because the spool cannot write (counted). Times are taken here.
     */
    public long append(String service, Stream stream, int flags, byte[] payload) {
        long now = mono.nanos();
        if (failing && now - retryAtNanos < 0) {
            lose(1, payload.length);
            return -1;
        }
        try {
            if (failing) {
                recoverFromFailure(now);
            }
            return write(service, stream, flags, payload, now);
        } catch (IOException e) {
            fail(e, now);
            lose(1, payload.length);
            return -1;
        }
    }

    private long write(String service, Stream stream, int flags, byte[] payload, long now) throws IOException {
        byte[] bytes = RecordCodec.encode(nextSequence, wallMicros(), now, serviceBytes(service), stream,
                checkedFlags(flags), payload);
        long sequence = nextSequence;
        rotateIfNeeded(bytes.length, now);
        file.append(bytes);
        currentBytes += bytes.length;
        nextSequence++;
        counters.written(bytes.length);
        if (unsynced++ == 0) {
            firstUnsyncedNanos = now;
        }
        switch (config.durability()) {
            case ALWAYS -> sync();
            case BATCH -> {
                if (unsynced >= config.batchRecords()) {
                    sync();
                }
            }
            case NONE -> durableSequence = sequence;
        }
        return sequence;
    }

    private String lastService = "";
    private byte[] lastServiceBytes = new byte[0];

    /** The service name's UTF-8 bytes, validated; the last one is cached (lines come in runs). */
    private byte[] serviceBytes(String service) {
        if (!service.equals(lastService)) {
            byte[] bytes = service.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            if (bytes.length < 1 || bytes.length > SpoolRecord.MAX_SERVICE_BYTES) {
                throw new IllegalArgumentException("service name must be 1.." + SpoolRecord.MAX_SERVICE_BYTES
                        + " bytes: " + service);
            }
            lastService = service;
            lastServiceBytes = bytes;
        }
        return lastServiceBytes;
    }

    private static int checkedFlags(int flags) {
        if ((flags & ~(SpoolRecord.TRUNCATED | SpoolRecord.PARTIAL)) != 0) {
            throw new IllegalArgumentException("unknown flags: " + flags);
        }
        return flags;
    }

    /** Group commit by time under {@code batch}; call at least every {@code batchInterval}. */
    public void tick() {
        long now = mono.nanos();
        if (unsynced > 0 && file != null && config.durability() == SpoolConfig.Durability.BATCH
                && now - firstUnsyncedNanos >= config.batchInterval().toNanos()) {
            try {
                sync();
            } catch (IOException e) {
                fail(e, now);
            }
        }
    }

    /** The highest sequence number acknowledged under the policy; -1 before the first record. */
    public long durableSequence() {
        return durableSequence;
    }

    /**
     * Records above {@link #durableSequence()} and up to this were written but their segment was
     * abandoned after a write failure before they were durable: they are never acknowledged.
     */
    public long abandonedSequence() {
        return abandonedSequence;
    }

    /** The sequence number the next record gets. */
    public long nextSequence() {
        return nextSequence;
    }

    /** How long until {@link #tick} has work, or empty when nothing is waiting for an fsync. */
    public java.util.Optional<Duration> tickDue() {
        if (unsynced == 0 || config.durability() != SpoolConfig.Durability.BATCH) {
            return java.util.Optional.empty();
        }
        long left = config.batchInterval().toNanos() - (mono.nanos() - firstUnsyncedNanos);
        return java.util.Optional.of(Duration.ofNanos(Math.max(0, left)));
    }

    private void sync() throws IOException {
        file.sync();
        unsynced = 0;
        durableSequence = nextSequence - 1;
    }

    private void rotateIfNeeded(int length, long now) throws IOException {
        if (file != null) {
            boolean full = currentBytes > 0 && currentBytes + length > config.segmentBytes();
            boolean old = now - currentOpenedNanos >= config.segmentAge().toNanos();
            if (!full && !old) {
                return;
            }
            leaveSegment();
        }
        SegmentName name = new SegmentName(nextSequence, Math.max(0, wall.now().toEpochMilli()));
        file = storage.openAppend(config.dir().resolve(name.fileName()));
        current = new Recovery.Segment(name, 0);
        currentBytes = file.size();
        currentOpenedNanos = now;
        enforceRetention();
    }

    /** fsync and close the current segment (a segment is complete and durable once left). */
    private void leaveSegment() throws IOException {
        Storage.AppendFile f = file;
        file = null;
        try (f) {
            if (config.durability() != SpoolConfig.Durability.NONE || unsynced > 0) {
                f.sync();
            }
            unsynced = 0;
            durableSequence = nextSequence - 1;
        }
        closed.addLast(new Recovery.Segment(current.name(), currentBytes));
        current = null;
    }

    /**
     * Deletes the oldest closed segments while over the byte or age cap (never the current one). The
     * current segment counts at its full size, so the folder never holds more than
     * {@code maxTotalBytes} even as the current segment fills.
     */
    private void enforceRetention() throws IOException {
        long total = config.segmentBytes();
        for (Recovery.Segment s : closed) {
            total += s.bytes();
        }
        long nowMillis = wall.now().toEpochMilli();
        while (!closed.isEmpty()) {
            Recovery.Segment oldest = closed.peekFirst();
            boolean overBytes = total > config.maxTotalBytes();
            boolean tooOld = nowMillis - oldest.name().createdWallMillis() > config.maxAge().toMillis();
            if (!overBytes && !tooOld) {
                return;
            }
            storage.delete(config.dir().resolve(oldest.name().fileName()));
            closed.removeFirst();
            total -= oldest.bytes();
            long nextFirst = closed.isEmpty() ? (current == null ? nextSequence : current.name().firstSequence())
                    : closed.peekFirst().name().firstSequence();
            long records = Math.max(0, nextFirst - oldest.name().firstSequence());
            counters.retentionDropped(records, oldest.bytes());
            listener.report(Event.of(EventCode.SPOOL_DROPPED, "spool",
                    overBytes ? "oldest segment deleted: spool over max_total_size" : "segment older than max_age deleted",
                    "reason", overBytes ? "retention_bytes" : "retention_age", "segment", oldest.name().fileName(),
                    "records", records, "bytes", oldest.bytes()));
        }
    }

    private void fail(IOException e, long now) {
        retryAtNanos = now + RETRY_INTERVAL.toNanos();
        if (file != null) {
            try {
                file.close();
            } catch (IOException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            closed.addLast(new Recovery.Segment(current.name(), currentBytes));
            file = null;
            current = null;
        }
        // Unsynced records are not durable and may be lost with the abandoned segment.
        unsynced = 0;
        abandonedSequence = nextSequence - 1;
        if (!failing) {
            failing = true;
            counters.writeFailing(true);
            listener.report(Event.of(EventCode.SPOOL_WRITE_STATE, "spool", "spool cannot write; dropping lines",
                    "state", "failing", "error", String.valueOf(e.getMessage())));
        }
    }

    private void recoverFromFailure(long now) throws IOException {
        if (!recovered) {
            recover();
        }
        String note = "[waveos: spool dropped " + lostRecords + " lines (" + lostBytes + " bytes) while it could not write]";
        write("agent", Stream.AGENT, 0, note.getBytes(StandardCharsets.UTF_8), now);
        failing = false;
        counters.writeFailing(false);
        listener.report(Event.of(EventCode.SPOOL_WRITE_STATE, "spool", "spool writes again", "state", "writing",
                "records", lostRecords, "bytes", lostBytes));
        lostRecords = 0;
        lostBytes = 0;
    }

    private void lose(long records, long bytes) {
        lostRecords += records;
        lostBytes += bytes;
        counters.writeDropped(records, bytes);
    }

    private long wallMicros() {
        java.time.Instant now = wall.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    /** Directory of the segments. */
    public Path dir() {
        return config.dir();
    }

    /** fsyncs what is pending and closes the segment. */
    @Override
    public void close() throws IOException {
        if (file != null) {
            leaveSegment();
        }
    }
}
