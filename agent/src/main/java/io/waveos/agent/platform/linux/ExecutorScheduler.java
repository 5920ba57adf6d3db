package io.waveos.agent.platform.linux;

import io.waveos.agent.platform.Scheduler;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Scheduler} on one daemon thread named {@value #THREAD_NAME}.
 *
 * <p>Delays are measured with {@link System#nanoTime()} (inside the JDK executor), so wall-clock steps
 * do not move timers. A cancelled timer is removed from the queue at once. A task that throws is
 * reported to the error stream with its stack trace and the thread goes on running later tasks.
 *
 * <p>A negative delay is a programming error ({@link IllegalArgumentException}, as in the fake);
 * {@link #schedule} after {@link #close} throws {@link java.util.concurrent.RejectedExecutionException}.
 */
public final class ExecutorScheduler implements Scheduler, AutoCloseable {
    static final String THREAD_NAME = "waveos-timer";
    private static final long CLOSE_WAIT_SECONDS = 5;

    private final ScheduledThreadPoolExecutor executor;
    private final PrintStream errors;

    public ExecutorScheduler() {
        this(System.err);
    }

    ExecutorScheduler(PrintStream errors) {
        this.errors = errors;
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
        ScheduledFuture<?> future = executor.schedule(() -> runReporting(task), saturatedNanos(delay),
                TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    /** Tasks waiting in the queue, for tests of the remove-on-cancel policy. */
    int queuedTasks() {
        return executor.getQueue().size();
    }

    /**
     * Drops pending timers and waits up to five seconds for a running task to finish (not when called
     * from a task itself).
     */
    @Override
    public void close() {
        executor.shutdownNow();
        if (Thread.currentThread().getName().equals(THREAD_NAME)) {
            return;
        }
        try {
            if (!executor.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                errors.println(THREAD_NAME + ": a scheduled task was still running " + CLOSE_WAIT_SECONDS
                        + "s after close");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void runReporting(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            // The executor would keep the exception in a future nobody reads: report it instead.
            errors.println(THREAD_NAME + ": scheduled task " + task + " failed:");
            e.printStackTrace(errors);
        }
    }

    private static long saturatedNanos(Duration delay) {
        try {
            return delay.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }
}
