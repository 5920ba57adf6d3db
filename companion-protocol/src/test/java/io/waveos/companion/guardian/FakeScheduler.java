package io.waveos.companion.guardian;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A {@link Scheduler} in virtual time: tasks run inside {@link #advance}, in due order, then FIFO. */
final class FakeScheduler implements Scheduler {
    private final List<Entry> queue = new ArrayList<>();
    private long nowNanos;
    private long sequence;

    private final class Entry implements Timer {
        final long dueNanos;
        final long order;
        final Runnable task;
        boolean cancelled;

        Entry(long dueNanos, long order, Runnable task) {
            this.dueNanos = dueNanos;
            this.order = order;
            this.task = task;
        }

        @Override
        public void cancel() {
            cancelled = true;
            queue.remove(this);
        }
    }

    long nowNanos() {
        return nowNanos;
    }

    int pending() {
        return queue.size();
    }

    @Override
    public Timer schedule(Duration delay, Runnable task) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("negative delay " + delay);
        }
        Entry entry = new Entry(nowNanos + delay.toNanos(), sequence++, task);
        queue.add(entry);
        return entry;
    }

    /** Moves time forward by {@code step}, running every task that falls due on the way. */
    void advance(Duration step) {
        long target = nowNanos + step.toNanos();
        while (true) {
            Entry next = queue.stream()
                    .filter(e -> e.dueNanos <= target)
                    .min(Comparator.<Entry>comparingLong(e -> e.dueNanos).thenComparingLong(e -> e.order))
                    .orElse(null);
            if (next == null) {
                break;
            }
            queue.remove(next);
            nowNanos = next.dueNanos;
            next.task.run();
        }
        nowNanos = target;
    }
}
