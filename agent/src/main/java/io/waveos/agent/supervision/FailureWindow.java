package io.waveos.agent.supervision;

import java.time.Duration;
import java.util.ArrayDeque;

/**
 * Counts failures within a sliding window of monotonic time (the Guardian's error rate per minute).
 *
 * <p>Bounded: it remembers at most {@code capacity} failures; beyond that the oldest are forgotten and
 * {@link #count} reads {@code capacity} (saturated, "at least"). Loop thread only.
 */
public final class FailureWindow {
    private final long windowNanos;
    private final int capacity;
    private final ArrayDeque<Long> times = new ArrayDeque<>();

    public FailureWindow(Duration window, int capacity) {
        if (window.isNegative() || window.isZero() || capacity < 1) {
            throw new IllegalArgumentException("need a positive window and capacity, were " + window + " and "
                    + capacity);
        }
        this.windowNanos = window.toNanos();
        this.capacity = capacity;
    }

    /** One failure at monotonic time {@code nowNanos} (not before the previous one). */
    public void add(long nowNanos) {
        if (times.size() == capacity) {
            times.removeFirst();
        }
        times.addLast(nowNanos);
    }

    /** Failures in the window ending at {@code nowNanos}: those after {@code nowNanos - window}. */
    public int count(long nowNanos) {
        while (!times.isEmpty() && times.peekFirst() <= nowNanos - windowNanos) {
            times.removeFirst();
        }
        return times.size();
    }
}
