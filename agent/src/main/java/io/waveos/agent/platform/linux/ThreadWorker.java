package io.waveos.agent.platform.linux;

import io.waveos.agent.platform.Worker;
import java.io.PrintStream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Worker} on one daemon thread named {@value #THREAD_NAME}, started on the first job and
 * ended after a minute idle (so an agent that installs nothing holds no extra thread).
 */
public final class ThreadWorker implements Worker, AutoCloseable {
    static final String THREAD_NAME = "waveos-worker";

    private final ExecutorService executor;
    private final PrintStream errors;

    public ThreadWorker() {
        this(System.err);
    }

    ThreadWorker(PrintStream errors) {
        this.errors = errors;
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                task -> {
                    Thread thread = new Thread(task, THREAD_NAME);
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        this.executor = pool;
    }

    @Override
    public void run(Runnable job) {
        executor.execute(() -> {
            try {
                job.run();
            } catch (RuntimeException | Error e) {
                errors.println(THREAD_NAME + ": a job failed: " + e);
                e.printStackTrace(errors);
            }
        });
    }

    /** Takes no more jobs; a running job is not interrupted (it may be writing a slot). */
    @Override
    public void close() {
        executor.shutdown();
    }
}
