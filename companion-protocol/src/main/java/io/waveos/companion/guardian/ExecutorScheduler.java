package io.waveos.companion.guardian;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.tinylog.Logger;

/**
 * {@link Scheduler} on one daemon thread named {@value #THREAD_NAME}. Delays are measured on
 * {@link System#nanoTime()} inside the JDK executor, so wall-clock steps do not move timers. A task
 * that throws is logged and the thread goes on with later tasks. Created only by {@link GuardianMain}.
 */
public final class ExecutorScheduler implements Scheduler, AutoCloseable {
    static final String THREAD_NAME = "guardian-timer";

    private final ScheduledThreadPoolExecutor executor;

    public ExecutorScheduler() {
        this.executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, THREAD_NAME);
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public Timer schedule(Duration delay, Runnable task) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("negative delay " + delay);
        }
        long nanos;
        try {
            nanos = delay.toNanos();
        } catch (ArithmeticException tooLong) {
            nanos = Long.MAX_VALUE;
        }
        ScheduledFuture<?> future = executor.schedule(() -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                Logger.error(e, "scheduled task {} failed", task);
            }
        }, nanos, TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    /** Drops pending timers and waits briefly for a running one. */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
                Logger.warn("{}: a scheduled task was still running 2 s after close", THREAD_NAME);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
