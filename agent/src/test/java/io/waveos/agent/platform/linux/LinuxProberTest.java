package io.waveos.agent.platform.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.net.httpserver.HttpServer;
import io.waveos.agent.platform.Prober.Exec;
import io.waveos.agent.platform.Prober.Http;
import io.waveos.agent.platform.Prober.Probe;
import io.waveos.agent.platform.Prober.ProbeOutcome;
import io.waveos.agent.platform.Prober.Tcp;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinuxProberTest {
    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final Duration ATTEMPT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private final LinuxProber prober = new LinuxProber(2, 4);
    private HttpServer server;

    @AfterEach
    void stop() {
        prober.close();
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void tcpProbeIsReadyWhenAConnectionIsAccepted() throws Exception {
        try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ProbeOutcome outcome = probe(new Tcp("127.0.0.1", listening.getLocalPort()), ATTEMPT);
            assertTrue(outcome.ready(), outcome.detail());
        }
    }

    @Test
    void tcpProbeIsNotReadyWhenRefusedAndSaysWhy() throws Exception {
        ProbeOutcome outcome = probe(new Tcp("127.0.0.1", closedPort()), ATTEMPT);
        assertFalse(outcome.ready());
        assertTrue(outcome.detail().contains("Connection refused"), outcome.detail());
    }

    @Test
    void httpProbeIsReadyOnSuccessStatus() throws Exception {
        int port = serve(200);
        ProbeOutcome outcome = probe(new Http(URI.create("http://127.0.0.1:" + port + "/health")), ATTEMPT);
        assertTrue(outcome.ready(), outcome.detail());
        assertTrue(outcome.detail().endsWith("status 200"), outcome.detail());
    }

    @Test
    void httpProbeIsNotReadyOnServerErrorAndReportsTheStatus() throws Exception {
        int port = serve(503);
        ProbeOutcome outcome = probe(new Http(URI.create("http://127.0.0.1:" + port + "/health")), ATTEMPT);
        assertFalse(outcome.ready());
        assertTrue(outcome.detail().endsWith("status 503"), outcome.detail());
    }

    @Test
    void httpProbeIsNotReadyWhenRefused() throws Exception {
        ProbeOutcome outcome = probe(new Http(URI.create("http://127.0.0.1:" + closedPort() + "/")), ATTEMPT);
        assertFalse(outcome.ready());
        assertTrue(outcome.detail().contains("Connection refused"), outcome.detail());
    }

    @Test
    void execProbeIsReadyWhenTheCommandSucceeds() throws Exception {
        ProbeOutcome outcome = probe(new Exec(List.of("true")), ATTEMPT);
        assertTrue(outcome.ready(), outcome.detail());
    }

    @Test
    void execProbeIsNotReadyWhenTheCommandFailsAndReportsTheCode() throws Exception {
        ProbeOutcome outcome = probe(new Exec(List.of("false")), ATTEMPT);
        assertFalse(outcome.ready());
        assertTrue(outcome.detail().endsWith("code 1"), outcome.detail());
    }

    @Test
    void execProbeReportsAMissingCommand() throws Exception {
        ProbeOutcome outcome = probe(new Exec(List.of("waveos-no-such-probe")), ATTEMPT);
        assertFalse(outcome.ready());
        assertTrue(outcome.detail().contains("No such file or directory"), outcome.detail());
    }

    @Test
    void execProbeKillsACommandAndItsChildrenThatOutliveTheTimeout() throws Exception {
        Path pids = dir.resolve("pids");
        String script = "sleep 100 & echo $$ $! > " + pids + ".tmp; mv " + pids + ".tmp " + pids + "; wait";
        ProbeOutcome outcome = probe(new Exec(List.of("sh", "-c", script)), Duration.ofMillis(1500));
        assertFalse(outcome.ready());
        assertTrue(outcome.detail().contains("timed out"), outcome.detail());
        assertTrue(Files.exists(pids), "the probe ran long enough to start its child");
        for (String pid : Files.readString(pids).trim().split(" ")) {
            await("probe process " + pid + " is killed",
                    () -> ProcStat.read(Long.parseLong(pid)).map(ProcStat::alive).orElse(false) == false);
        }
    }

    @Test
    void refusesAttemptsBeyondTheQueueAndReportsEveryAttemptOnClose() throws Exception {
        LinuxProber small = new LinuxProber(1, 1);
        Probe slow = new Exec(List.of("sleep", "100"));
        CompletableFuture<ProbeOutcome> running = new CompletableFuture<>();
        CompletableFuture<ProbeOutcome> queued = new CompletableFuture<>();
        CompletableFuture<ProbeOutcome> refused = new CompletableFuture<>();
        small.probe(slow, BOUND, running::complete);
        small.probe(slow, BOUND, queued::complete);
        small.probe(slow, BOUND, refused::complete);
        assertEquals(new ProbeOutcome(false, "probe queue full"), refused.getNow(null));

        small.close();
        assertEquals(new ProbeOutcome(false, "prober closed"), running.get(BOUND.toSeconds(), TimeUnit.SECONDS));
        assertEquals(new ProbeOutcome(false, "prober closed"), queued.get(BOUND.toSeconds(), TimeUnit.SECONDS));
        CompletableFuture<ProbeOutcome> late = new CompletableFuture<>();
        small.probe(new Exec(List.of("true")), ATTEMPT, late::complete);
        assertEquals(new ProbeOutcome(false, "prober closed"), late.getNow(null));
    }

    private ProbeOutcome probe(Probe probe, Duration timeout) throws Exception {
        CompletableFuture<ProbeOutcome> outcome = new CompletableFuture<>();
        prober.probe(probe, timeout, outcome::complete);
        return outcome.get(BOUND.toSeconds(), TimeUnit.SECONDS);
    }

    private int serve(int status) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        return server.getAddress().getPort();
    }

    /** A loopback port nothing listens on: bound once, then released. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("gave up after " + BOUND + " waiting until " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }
}
