package io.waveos.agent.platform.fake;

import io.waveos.agent.platform.MonotonicClock;
import io.waveos.agent.platform.Scheduler;
import io.waveos.agent.platform.WallClock;
import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;

/**
 * Virtual time: wall clock, monotonic clock and scheduler in one, advanced only by the test.
 *
 * <p>{@link #advance} runs every task that falls due, in due order (ties in scheduling order), with
 * the clocks set to each task's due time while it runs. Not thread-safe: tests drive it from one
 * thread.
 */
public final class FakeTime implements WallClock, MonotonicClock, Scheduler {
    private final Instant wallOrigin;
    private long nanos;
    private long sequence;
    private final PriorityQueue<Task> tasks = new PriorityQueue<>();

    public FakeTime() {
        this(Instant.parse("2026-11-22T05:00:00Z"));
    }

    public FakeTime(Instant wallOrigin) {
        this.wallOrigin = wallOrigin;
    }

    @Override
    public Instant now() {
        return wallOrigin.plusNanos(nanos);
    }

    @Override
    public long nanos() {
        return nanos;
    }

    /** Virtual time elapsed since construction. */
    public Duration elapsed() {
        return Duration.ofNanos(nanos);
    }

    @Override
    public Timer schedule(Duration delay, Runnable task) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("negative delay " + delay);
        }
        Task t = new Task(nanos + delay.toNanos(), sequence++, task);
        tasks.add(t);
        return () -> t.cancelled = true;
    }

    /** Runs everything due within {@code d}, then leaves the clock at now + d. */
    public void advance(Duration d) {
        long target = nanos + d.toNanos();
        while (true) {
            Task next = tasks.peek();
            if (next == null || next.due > target) {
                break;
            }
            tasks.poll();
            if (next.cancelled) {
                continue;
            }
            nanos = Math.max(nanos, next.due);
            next.task.run();
        }
        nanos = target;
    }

    /** Runs tasks due now (zero-delay timers) without moving the clock. */
    public void runDue() {
        advance(Duration.ZERO);
    }

    /** Number of armed, not cancelled timers. */
    public long pendingTimers() {
        return tasks.stream().filter(t -> !t.cancelled).count();
    }

    private static final class Task implements Comparable<Task> {
        final long due;
        final long seq;
        final Runnable task;
        boolean cancelled;

        Task(long due, long seq, Runnable task) {
            this.due = due;
            this.seq = seq;
            this.task = task;
        }

        @Override
        public int compareTo(Task o) {
            int c = Long.compare(due, o.due);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }
}
