package io.waveos.agent.spool;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The spool's running totals since the agent started, for telemetry and the runbook. Thread-safe:
 * the writer and the pipe readers update them, the sampler reads them.
 */
public final class SpoolCounters {
    private final AtomicLong writtenRecords = new AtomicLong();
    private final AtomicLong writtenBytes = new AtomicLong();
    private final AtomicLong queueDroppedRecords = new AtomicLong();
    private final AtomicLong queueDroppedBytes = new AtomicLong();
    private final AtomicLong writeDroppedRecords = new AtomicLong();
    private final AtomicLong writeDroppedBytes = new AtomicLong();
    private final AtomicLong retentionDroppedRecords = new AtomicLong();
    private final AtomicLong retentionDroppedBytes = new AtomicLong();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicLong queuedRecords = new AtomicLong();
    private volatile boolean failing;

    /** A consistent-enough copy for one sample (each figure is exact; they are read one after another). */
    public record Snapshot(long writtenRecords, long writtenBytes, long queueDroppedRecords, long queueDroppedBytes,
            long writeDroppedRecords, long writeDroppedBytes, long retentionDroppedRecords,
            long retentionDroppedBytes, long queuedRecords, long queuedBytes, boolean failing) {
        /** Lines lost before they reached a segment (full queue or write failure). */
        public long droppedRecords() {
            return queueDroppedRecords + writeDroppedRecords;
        }
    }

    public Snapshot snapshot() {
        return new Snapshot(writtenRecords.get(), writtenBytes.get(), queueDroppedRecords.get(),
                queueDroppedBytes.get(), writeDroppedRecords.get(), writeDroppedBytes.get(),
                retentionDroppedRecords.get(), retentionDroppedBytes.get(), queuedRecords.get(), queuedBytes.get(),
                failing);
    }

    /** Lines dropped because the queue was full (cheap: one read). */
    long queueDropped() {
        return queueDroppedRecords.get();
    }

    void written(long bytes) {
        writtenRecords.incrementAndGet();
        writtenBytes.addAndGet(bytes);
    }

    void queueDropped(long bytes) {
        queueDroppedRecords.incrementAndGet();
        queueDroppedBytes.addAndGet(bytes);
    }

    void writeDropped(long records, long bytes) {
        writeDroppedRecords.addAndGet(records);
        writeDroppedBytes.addAndGet(bytes);
    }

    void retentionDropped(long records, long bytes) {
        retentionDroppedRecords.addAndGet(records);
        retentionDroppedBytes.addAndGet(bytes);
    }

    void writeFailing(boolean now) {
        failing = now;
    }

    /** Reserves queue room; false (and nothing reserved) when it would pass {@code capBytes}. */
    boolean reserve(long bytes, long capBytes) {
        while (true) {
            long q = queuedBytes.get();
            if (q + bytes > capBytes) {
                return false;
            }
            if (queuedBytes.compareAndSet(q, q + bytes)) {
                queuedRecords.incrementAndGet();
                return true;
            }
        }
    }

    void release(long bytes) {
        queuedBytes.addAndGet(-bytes);
        queuedRecords.decrementAndGet();
    }
}
