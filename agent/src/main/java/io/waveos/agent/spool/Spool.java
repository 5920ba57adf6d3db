package io.waveos.agent.spool;

import io.waveos.agent.platform.MonotonicClock;
import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.EventCode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The running spool: producers hand lines to a queue bounded in bytes; one writer thread takes them,
 * appends them through a {@link SpoolWriter} and acknowledges them once durable.
 *
 * <p>Two ways in. {@link #offer} never blocks (pipe readers, the agent's loop): a line that does not
 * fit the queue is dropped and counted, and the producer learns nothing more. {@link #append} is for a
 * producer that can wait: its future completes with the sequence number once the record is durable
 * under the policy, or fails when it was dropped or its segment was abandoned after a write failure.
 *
 * <p>Queue drops are reported as one {@code spool.dropped} event at most every {@link #DROP_REPORT}.
 * Thread-safe.
 */
public final class Spool implements AutoCloseable {
    static final Duration DROP_REPORT = Duration.ofSeconds(1);
    private static final Duration IDLE_WAKE = Duration.ofMillis(500);
    private static final long ENTRY_OVERHEAD_BYTES = 64;
    /** The longest payload a record holds (the longest {@code max_line}). */
    public static final int MAX_PAYLOAD_BYTES = 1024 * 1024;

    private record Entry(String service, Stream stream, int flags, byte[] payload,
            Optional<CompletableFuture<Long>> ack) {
    }

    private record Waiter(long sequence, CompletableFuture<Long> ack) {
    }

    private final SpoolWriter writer;
    private final SpoolCounters counters;
    private final SpoolListener listener;
    private final MonotonicClock mono;
    private final long queueCapBytes;
    private final BlockingQueue<Entry> queue = new LinkedBlockingQueue<>();
    private final Deque<Waiter> waiters = new ArrayDeque<>();
    private final Thread thread;
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private volatile boolean closing;
    private long reportedDrops;
    private long reportedDropBytes;
    private long lastDropReportNanos;

    private Spool(SpoolWriter writer, long queueCapBytes, SpoolCounters counters, SpoolListener listener,
            MonotonicClock mono, ThreadFactory threads) {
        this.writer = writer;
        this.queueCapBytes = queueCapBytes;
        this.counters = counters;
        this.listener = listener;
        this.mono = mono;
        this.thread = threads.newThread(this::run);
    }

    /** Starts the writer thread over an opened writer. */
    public static Spool start(SpoolWriter writer, long queueCapBytes, SpoolCounters counters,
            SpoolListener listener, MonotonicClock mono, ThreadFactory threads) {
        Spool s = new Spool(writer, queueCapBytes, counters, listener, mono, threads);
        s.lastDropReportNanos = mono.nanos();
        s.thread.start();
        return s;
    }

    /**
     * Queues a line without waiting; false when it was dropped (queue full or spool closed), counted.
     * The payload array is taken over, not copied: the caller must not change it afterwards.
     *
     * @throws IllegalArgumentException for a service name outside 1..255 UTF-8 bytes, unknown flags or a
     *     payload over {@link #MAX_PAYLOAD_BYTES}
     *     (a programming error, refused here so that it never reaches the writer thread)
     */
    public boolean offer(String service, Stream stream, int flags, byte[] payload) {
        return enqueue(new Entry(service, stream, flags, payload, Optional.empty()));
    }

    /**
     * Queues a line; the future completes with its sequence number once it is durable under the
     * policy, or fails with an {@link IOException} when it was dropped. Never blocks.
     */
    public CompletableFuture<Long> append(String service, Stream stream, byte[] payload) {
        CompletableFuture<Long> ack = new CompletableFuture<>();
        if (!enqueue(new Entry(service, stream, 0, payload, Optional.of(ack)))) {
            ack.completeExceptionally(new IOException("spool queue full: line dropped"));
        }
        return ack;
    }

    public SpoolCounters counters() {
        return counters;
    }

    /** Lines waiting for the writer. */
    public long queueDepth() {
        return counters.snapshot().queuedRecords();
    }

    private boolean enqueue(Entry e) {
        // Up to 85 chars a name cannot pass 255 UTF-8 bytes: count bytes only for longer names.
        int serviceBytes = e.service().length() <= 85 ? e.service().length()
                : e.service().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (serviceBytes < 1 || serviceBytes > SpoolRecord.MAX_SERVICE_BYTES
                || (e.flags() & ~(SpoolRecord.TRUNCATED | SpoolRecord.PARTIAL)) != 0
                || e.payload().length > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("bad spool line: service '" + e.service() + "', flags " + e.flags()
                    + ", " + e.payload().length + " bytes (at most " + MAX_PAYLOAD_BYTES + ")");
        }
        long bytes = e.payload().length + ENTRY_OVERHEAD_BYTES;
        if (closing || !counters.reserve(bytes, queueCapBytes)) {
            counters.queueDropped(e.payload().length);
            return false;
        }
        queue.add(e);
        return true;
    }

    private void run() {
        try {
            while (!closing || !queue.isEmpty()) {
                long waitNanos = writer.tickDue().orElse(IDLE_WAKE).toNanos();
                Entry e = queue.poll(Math.max(1, waitNanos), TimeUnit.NANOSECONDS);
                if (e != null) {
                    write(e);
                }
                writer.tick();
                settle();
                reportDrops(false);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            finish();
        }
    }

    private void write(Entry e) {
        counters.release(e.payload().length + ENTRY_OVERHEAD_BYTES);
        long sequence = writer.append(e.service(), e.stream(), e.flags(), e.payload());
        if (e.ack().isEmpty()) {
            return;
        }
        if (sequence < 0) {
            e.ack().get().completeExceptionally(new IOException("spool cannot write: line dropped"));
        } else {
            waiters.addLast(new Waiter(sequence, e.ack().get()));
        }
    }

    /** Completes the acknowledgements of durable records; fails those lost with an abandoned segment. */
    private void settle() {
        while (!waiters.isEmpty() && waiters.peekFirst().sequence() <= writer.durableSequence()) {
            Waiter w = waiters.removeFirst();
            w.ack().complete(w.sequence());
        }
        while (!waiters.isEmpty() && waiters.peekFirst().sequence() <= writer.abandonedSequence()) {
            waiters.removeFirst().ack().completeExceptionally(
                    new IOException("spool write failed before the line was durable"));
        }
    }

    private void reportDrops(boolean now) {
        long drops = counters.queueDropped();
        if (drops == reportedDrops || (!now && mono.nanos() - lastDropReportNanos < DROP_REPORT.toNanos())) {
            return;
        }
        SpoolCounters.Snapshot s = counters.snapshot();
        drops = s.queueDroppedRecords();
        long records = drops - reportedDrops;
        long bytes = s.queueDroppedBytes() - reportedDropBytes;
        reportedDrops = drops;
        reportedDropBytes = s.queueDroppedBytes();
        lastDropReportNanos = mono.nanos();
        listener.report(Event.of(EventCode.SPOOL_DROPPED, "spool", "lines dropped: the spool queue was full",
                "reason", "queue_full", "records", records, "bytes", bytes));
        writer.append("agent", Stream.AGENT, 0, ("[waveos: spool queue full, dropped " + records + " lines ("
                + bytes + " bytes)]").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private void finish() {
        try {
            reportDrops(true);
            writer.close();
        } catch (IOException e) {
            listener.report(Event.of(EventCode.SPOOL_WRITE_STATE, "spool", "closing the spool failed",
                    "state", "failing", "error", String.valueOf(e.getMessage())));
        }
        settle();
        for (Waiter w : waiters) {
            w.ack().completeExceptionally(new IOException("spool closed before the line was durable"));
        }
        waiters.clear();
        stopped.complete(null);
    }

    /**
     * Stops taking lines, writes what is queued, fsyncs and closes the segment; waits at most
     * {@code timeout} for that. True when the writer finished in time.
     */
    public boolean close(Duration timeout) {
        closing = true;
        try {
            stopped.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("spool writer failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}
