package io.waveos.agent.platform.linux;

import io.waveos.agent.platform.EventLoop;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The real event loop: one platform thread taking events from an unbounded queue.
 *
 * <p>Crash-only: an exception thrown by the handler is a bug in the agent. The loop prints it and
 * halts the JVM with status 70 (EX_SOFTWARE) instead of running on with state it can no longer
 * trust; systemd restarts the agent, which reclaims its services from the process ledger.
 */
public final class ThreadEventLoop<E> implements EventLoop<E> {
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean stopped;
    private static final Object STOP = new Object();

    public ThreadEventLoop(String name, Consumer<E> handler) {
        this.thread = new Thread(() -> run(handler), name);
    }

    public void start() {
        thread.start();
    }

    @Override
    public void submit(E event) {
        queue.add(event);
    }

    @Override
    public void stop() {
        stopped = true;
        queue.add(STOP);
    }

    /** Waits for the loop thread to end; true if it ended within {@code timeout}. */
    public boolean await(Duration timeout) throws InterruptedException {
        thread.join(Math.max(1, timeout.toMillis()));
        return !thread.isAlive();
    }

    public boolean isLoopThread() {
        return Thread.currentThread() == thread;
    }

    @Override
    public int backlog() {
        return queue.size();
    }

    @SuppressWarnings("unchecked")
    private void run(Consumer<E> handler) {
        try {
            while (!stopped) {
                Object e = queue.poll(1, TimeUnit.SECONDS);
                if (e == null || e == STOP) {
                    continue;
                }
                handler.accept((E) e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            System.err.println("waveos: fatal error in the event loop, halting (crash-only restart): " + e);
            e.printStackTrace(System.err);
            Runtime.getRuntime().halt(70);
        }
    }
}
