package io.waveos.agent.platform.linux;

import io.waveos.agent.platform.Prober;
import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URLConnection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs readiness probes on a small bounded pool of daemon threads.
 *
 * <ul>
 *   <li>Exec: ready iff the command exits 0 within the timeout. Its stdin is /dev/null and its output
 *       is discarded; on timeout it and its descendants are killed (SIGKILL).
 *   <li>TCP: ready iff a connection to host:port is accepted within the timeout.
 *   <li>HTTP: ready iff a GET answers 2xx. Redirects are not followed. The timeout bounds connecting
 *       and then each read of the response head, so a server trickling its headers can take longer.
 * </ul>
 *
 * <p>When all threads are busy and the queue is full, or after {@link #close()}, {@code done} is
 * called at once with a not-ready outcome saying so. {@code done} runs on a probe thread (or the
 * caller's, for those immediate refusals).
 */
public final class LinuxProber implements Prober, AutoCloseable {
    private static final long THREAD_STACK_BYTES = 256 * 1024;
    private static final File DEV_NULL = new File("/dev/null");

    private final ThreadPoolExecutor executor;

    /**
     * @param threads attempts that may run at once; idle threads end after 30 s
     * @param queueCapacity attempts that may wait for a thread
     */
    public LinuxProber(int threads, int queueCapacity) {
        if (threads < 1 || queueCapacity < 1) {
            throw new IllegalArgumentException("threads and queueCapacity must be positive: " + threads + ", " + queueCapacity);
        }
        AtomicInteger count = new AtomicInteger();
        executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queueCapacity),
                r -> {
                    Thread t = new Thread(null, r, "probe-" + count.incrementAndGet(), THREAD_STACK_BYTES);
                    t.setDaemon(true);
                    return t;
                });
        executor.allowCoreThreadTimeOut(true);
    }

    @Override
    public void probe(Probe probe, Duration attemptTimeout, Consumer<ProbeOutcome> done) {
        Attempt attempt = new Attempt(probe, attemptTimeout, done);
        try {
            executor.execute(attempt);
        } catch (RejectedExecutionException e) {
            attempt.refuse(executor.isShutdown() ? "prober closed" : "probe queue full");
        }
    }

    /**
     * Stops accepting attempts and interrupts running ones (exec probes in flight are killed); every
     * attempt not yet reported, queued ones included, reports "prober closed". Does not wait.
     */
    @Override
    public void close() {
        for (Runnable queued : executor.shutdownNow()) {
            ((Attempt) queued).refuse("prober closed");
        }
    }

    private record Attempt(Probe probe, Duration timeout, Consumer<ProbeOutcome> done) implements Runnable {
        @Override
        public void run() {
            done.accept(attempt(probe, timeout));
        }

        void refuse(String reason) {
            done.accept(new ProbeOutcome(false, reason));
        }
    }

    private static ProbeOutcome attempt(Probe probe, Duration timeout) {
        if (probe instanceof Exec exec) {
            return exec(exec.command(), timeout);
        }
        if (probe instanceof Tcp tcp) {
            return tcp(tcp, timeout);
        }
        return http((Http) probe, timeout);
    }

    private static ProbeOutcome exec(List<String> command, Duration timeout) {
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            return new ProbeOutcome(false, "exec " + command.get(0) + ": " + e.getMessage());
        }
        try {
            if (process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                int code = process.exitValue();
                return new ProbeOutcome(code == 0, "exec exited with " + LinuxProcessLauncher.decode(code));
            }
            kill(process);
            return new ProbeOutcome(false, "exec timed out after " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            return new ProbeOutcome(false, "prober closed");
        }
    }

    /** Kills the descendants first: once their parent is gone they are no longer found as such. */
    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static ProbeOutcome tcp(Tcp tcp, Duration timeout) {
        String target = "tcp " + tcp.host() + ":" + tcp.port();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(tcp.host(), tcp.port()), timeoutMillis(timeout));
            return new ProbeOutcome(true, target + ": connected");
        } catch (IOException | IllegalArgumentException e) {
            return new ProbeOutcome(false, target + ": " + describe(e));
        }
    }

    private static ProbeOutcome http(Http http, Duration timeout) {
        String target = "http GET " + http.url();
        HttpURLConnection connection = null;
        try {
            URLConnection opened = http.url().toURL().openConnection();
            if (!(opened instanceof HttpURLConnection)) {
                return new ProbeOutcome(false, target + ": not an http(s) URL");
            }
            connection = (HttpURLConnection) opened;
            connection.setConnectTimeout(timeoutMillis(timeout));
            connection.setReadTimeout(timeoutMillis(timeout));
            connection.setInstanceFollowRedirects(false);
            connection.setUseCaches(false);
            int status = connection.getResponseCode();
            return new ProbeOutcome(status >= 200 && status < 300, target + ": status " + status);
        } catch (IOException | IllegalArgumentException e) {
            return new ProbeOutcome(false, target + ": " + describe(e));
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }

    private static int timeoutMillis(Duration timeout) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }

    private static String describe(Exception e) {
        if (e instanceof SocketTimeoutException) {
            return "timed out (" + e.getMessage() + ")";
        }
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + message;
    }
}
