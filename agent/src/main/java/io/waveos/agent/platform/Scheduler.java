package io.waveos.agent.platform;

import java.time.Duration;

/**
 * Runs a task once after a delay measured on the monotonic clock.
 *
 * <p>Threading: the task runs on a scheduler thread (real) or inside {@code advance} (fake); tasks
 * must only enqueue an event on the agent's loop, never touch agent state directly. Tasks due at the
 * same instant run in the order they were scheduled.
 */
public interface Scheduler {
    Timer schedule(Duration delay, Runnable task);

    /** A scheduled task. Cancelling after it ran, or twice, is a no-op. */
    interface Timer {
        void cancel();
    }
}
