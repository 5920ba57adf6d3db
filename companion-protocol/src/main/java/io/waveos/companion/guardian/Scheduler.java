package io.waveos.companion.guardian;

import java.time.Duration;

/**
 * Port: runs a task once after a delay measured on the monotonic clock.
 *
 * <p>Threading: the task runs on a scheduler thread ({@link ExecutorScheduler}) or inside the test
 * twin's {@code advance}. A task must only touch what is safe from that thread: the Guardian's loop
 * tasks enqueue an event; a GPIO adapter releases a line. Tasks due at the same instant run in the
 * order they were scheduled.
 */
public interface Scheduler {

    /**
     * Schedules {@code task} to run once after {@code delay}.
     *
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    Timer schedule(Duration delay, Runnable task);

    /** A scheduled task. Cancelling after it ran, or twice, is a no-op. */
    interface Timer {
        void cancel();
    }
}
