package io.waveos.agent.platform.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.platform.Scheduler;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ExecutorSchedulerTest {
    private static final long WAIT_SECONDS = 20;

    private final ByteArrayOutputStream errorBytes = new ByteArrayOutputStream();
    private final ExecutorScheduler scheduler =
            new ExecutorScheduler(new PrintStream(errorBytes, true, StandardCharsets.UTF_8));

    @AfterEach
    void closeScheduler() {
        scheduler.close();
    }

    @Test
    void runsTasksOnOneDaemonThreadNamedWaveosTimer() throws InterruptedException {
        List<Thread> threads = new CopyOnWriteArrayList<>();
        CountDownLatch ran = new CountDownLatch(2);
        for (int i = 0; i < 2; i++) {
            scheduler.schedule(Duration.ofMillis(1), () -> {
                threads.add(Thread.currentThread());
                ran.countDown();
            });
        }

        assertTrue(ran.await(WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals("waveos-timer", threads.get(0).getName());
        assertTrue(threads.get(0).isDaemon());
        assertEquals(threads.get(0), threads.get(1));
    }

    @Test
    void runsTasksInDueOrderRatherThanSchedulingOrder() throws InterruptedException {
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch ran = new CountDownLatch(2);
        scheduler.schedule(Duration.ofMillis(400), () -> {
            order.add("late");
            ran.countDown();
        });
        scheduler.schedule(Duration.ofMillis(1), () -> {
            order.add("early");
            ran.countDown();
        });

        assertTrue(ran.await(WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals(List.of("early", "late"), order);
    }

    @Test
    void cancelledTimerNeverRunsAndLeavesTheQueueAtOnce() throws InterruptedException {
        List<String> ran = new CopyOnWriteArrayList<>();
        Scheduler.Timer cancelled = scheduler.schedule(Duration.ofMillis(50), () -> ran.add("cancelled"));
        CountDownLatch later = new CountDownLatch(1);
        scheduler.schedule(Duration.ofMillis(300), () -> {
            ran.add("later");
            later.countDown();
        });

        cancelled.cancel();
        assertEquals(1, scheduler.queuedTasks());
        cancelled.cancel();

        assertTrue(later.await(WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals(List.of("later"), ran);
    }

    @Test
    void taskThatThrowsIsReportedWithItsStackTraceAndLaterTasksStillRun() throws InterruptedException {
        CountDownLatch after = new CountDownLatch(1);
        scheduler.schedule(Duration.ofMillis(1), () -> {
            throw new IllegalStateException("boom from a timer");
        });
        scheduler.schedule(Duration.ofMillis(100), after::countDown);

        assertTrue(after.await(WAIT_SECONDS, TimeUnit.SECONDS));
        String errors = errorBytes.toString(StandardCharsets.UTF_8);
        assertTrue(errors.contains("java.lang.IllegalStateException: boom from a timer"), errors);
        assertTrue(errors.contains("\tat "), errors);
    }

    @Test
    void rejectsNegativeDelays() {
        assertThrows(IllegalArgumentException.class, () -> scheduler.schedule(Duration.ofMillis(-1), () -> { }));
    }

    @Test
    void closeDropsPendingTimersAndRefusesNewOnes() {
        scheduler.schedule(Duration.ofHours(1), () -> { });

        scheduler.close();

        assertEquals(0, scheduler.queuedTasks());
        assertThrows(RejectedExecutionException.class, () -> scheduler.schedule(Duration.ZERO, () -> { }));
    }
}
