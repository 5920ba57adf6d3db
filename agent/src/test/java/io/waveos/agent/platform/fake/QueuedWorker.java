package io.waveos.agent.platform.fake;

import io.waveos.agent.platform.Worker;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A deterministic {@link Worker}: jobs wait until the test runs them with {@link #runAll}, so a test
 * can look at the agent while a job is "in progress".
 */
public final class QueuedWorker implements Worker {
    private final Deque<Runnable> jobs = new ArrayDeque<>();

    @Override
    public synchronized void run(Runnable job) {
        jobs.add(job);
    }

    /** Runs queued jobs, including jobs they queue, until none is left; returns how many ran. */
    public int runAll() {
        int n = 0;
        while (true) {
            Runnable job;
            synchronized (this) {
                job = jobs.poll();
            }
            if (job == null) {
                return n;
            }
            job.run();
            n++;
        }
    }

    public synchronized int pending() {
        return jobs.size();
    }
}
