package io.waveos.agent.platform.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemdNotifierTest {
    private static final long BOUND_SECONDS = 20;
    private static final long OUR_PID = 4242;

    @TempDir
    Path temp;

    private final ByteArrayOutputStream errorBytes = new ByteArrayOutputStream();
    private final PrintStream errors = new PrintStream(errorBytes, true, StandardCharsets.UTF_8);
    private final ExecutorService readers = Executors.newCachedThreadPool();
    private Optional<Process> receiver = Optional.empty();

    @AfterEach
    void stopReceiver() throws InterruptedException {
        if (receiver.isPresent()) {
            receiver.get().destroy();
            receiver.get().waitFor(BOUND_SECONDS, TimeUnit.SECONDS);
        }
        readers.shutdownNow();
    }

    @Test
    void sendsReadyThenWatchdogToAPathSocket() throws Exception {
        String socket = temp.resolve("notify").toString();
        Future<String> received = startReceiver("UNIX-RECV:" + socket, "READY=1WATCHDOG=1");

        try (SystemdNotifier notifier = notifier(Map.of("NOTIFY_SOCKET", socket))) {
            notifier.notify("READY=1");
            notifier.notify("WATCHDOG=1");

            assertEquals("READY=1WATCHDOG=1", received.get(BOUND_SECONDS, TimeUnit.SECONDS));
            assertEquals(0, notifier.failures());
        }
    }

    @Test
    void sendsToAnAbstractSocketNamedWithAnAt() throws Exception {
        String name = "waveos-notify-test-" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
        Future<String> received = startReceiver("ABSTRACT-RECV:" + name, "READY=1WATCHDOG=1");

        try (SystemdNotifier notifier = notifier(Map.of("NOTIFY_SOCKET", "@" + name))) {
            notifier.notify("READY=1");
            notifier.notify("WATCHDOG=1");

            assertEquals("READY=1WATCHDOG=1", received.get(BOUND_SECONDS, TimeUnit.SECONDS));
            assertEquals(0, notifier.failures());
        }
    }

    @Test
    void failedSendsAreCountedAndReportedOncePerErrno() {
        String socket = temp.resolve("nobody-listens").toString();

        try (SystemdNotifier notifier = notifier(Map.of("NOTIFY_SOCKET", socket))) {
            notifier.notify("READY=1");
            notifier.notify("WATCHDOG=1");

            assertEquals(2, notifier.failures());
        }
        List<String> lines = errorBytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains("errno 2 ENOENT") && lines.get(0).contains(socket), lines.get(0));
    }

    @Test
    void withoutNotifySocketEverythingIsANoOp() {
        try (SystemdNotifier notifier = notifier(Map.of("WATCHDOG_USEC", "1000000"))) {
            notifier.notify("READY=1");

            assertEquals(0, notifier.failures());
            assertEquals(Optional.empty(), notifier.watchdogInterval());
        }
        assertEquals("", errorBytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void unusableNotifySocketIsReportedOnceAndDisablesNotification() {
        try (SystemdNotifier notifier = notifier(Map.of("NOTIFY_SOCKET", "vsock:2:1234"))) {
            notifier.notify("READY=1");

            assertEquals(0, notifier.failures());
        }
        List<String> lines = errorBytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains("vsock:2:1234"), lines.get(0));
    }

    @Test
    void encodesAPathWithFamilyAndTrailingNul() {
        byte[] address = SystemdNotifier.socketAddress("/run/n");

        assertArrayEquals(concat(family(), new byte[] {'/', 'r', 'u', 'n', '/', 'n', 0}), address);
    }

    @Test
    void encodesAnAbstractNameWithLeadingNulAndNoTrailingNul() {
        byte[] address = SystemdNotifier.socketAddress("@sd");

        assertArrayEquals(concat(family(), new byte[] {0, 's', 'd'}), address);
        assertEquals(2 + "@sd".length(), address.length);
    }

    @Test
    void refusesAddressesThatDoNotFitASockaddrUn() {
        String longest = "/" + "x".repeat(SystemdNotifier.MAX_PATH_BYTES - 2);
        assertEquals(2 + SystemdNotifier.MAX_PATH_BYTES, SystemdNotifier.socketAddress(longest).length);
        assertThrows(IllegalArgumentException.class, () -> SystemdNotifier.socketAddress(longest + "x"));

        String longestAbstract = "@" + "x".repeat(SystemdNotifier.MAX_PATH_BYTES - 1);
        assertEquals(2 + SystemdNotifier.MAX_PATH_BYTES, SystemdNotifier.socketAddress(longestAbstract).length);
        assertThrows(IllegalArgumentException.class, () -> SystemdNotifier.socketAddress(longestAbstract + "x"));

        assertThrows(IllegalArgumentException.class, () -> SystemdNotifier.socketAddress("relative/path"));
    }

    @Test
    void readsTheWatchdogIntervalInMicroseconds() {
        assertEquals(Optional.of(Duration.ofMillis(2500)), interval(Map.of("WATCHDOG_USEC", "2500000")));
        assertEquals(Optional.of(Duration.ofSeconds(30)),
                interval(Map.of("WATCHDOG_USEC", "30000000", "WATCHDOG_PID", Long.toString(OUR_PID))));
        assertEquals(Optional.empty(), interval(Map.of()));
        assertEquals("", errorBytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void ignoresAWatchdogIntervalMeantForAnotherProcess() {
        assertEquals(Optional.empty(),
                interval(Map.of("WATCHDOG_USEC", "30000000", "WATCHDOG_PID", Long.toString(OUR_PID + 1))));
        assertEquals("", errorBytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void reportsAndIgnoresMalformedWatchdogSettings() {
        assertEquals(Optional.empty(), interval(Map.of("WATCHDOG_USEC", "0")));
        assertEquals(Optional.empty(), interval(Map.of("WATCHDOG_USEC", "soon")));
        assertEquals(Optional.empty(), interval(Map.of("WATCHDOG_USEC", "1000", "WATCHDOG_PID", "me")));

        assertEquals(3, errorBytes.toString(StandardCharsets.UTF_8).lines().count());
    }

    @Test
    void offersTheWatchdogIntervalOnlyWithANotifySocket() {
        Map<String, String> environment = Map.of("NOTIFY_SOCKET", "@x", "WATCHDOG_USEC", "1000000");
        try (SystemdNotifier notifier = notifier(environment)) {
            assertEquals(Optional.of(Duration.ofSeconds(1)), notifier.watchdogInterval());
        }
    }

    private SystemdNotifier notifier(Map<String, String> environment) {
        return new SystemdNotifier(environment, OUR_PID, errors);
    }

    private Optional<Duration> interval(Map<String, String> environment) {
        return SystemdNotifier.watchdogInterval(environment, OUR_PID, errors);
    }

    /**
     * Starts socat receiving datagrams at {@code address} and writing them to its stdout; returns once
     * it is bound. The future completes when {@code expected.length()} bytes arrived.
     */
    private Future<String> startReceiver(String address, String expected) throws Exception {
        Process process;
        try {
            process = new ProcessBuilder("socat", "-d", "-d", "-u", address, "STDOUT").start();
        } catch (IOException notInstalled) {
            assumeTrue(false, "socat is not installed: " + notInstalled.getMessage());
            throw notInstalled;
        }
        receiver = Optional.of(process);
        CompletableFuture<Boolean> bound = new CompletableFuture<>();
        readers.execute(() -> watchLog(process.getErrorStream(), bound));
        assertTrue(bound.get(BOUND_SECONDS, TimeUnit.SECONDS), "socat did not start receiving at " + address);
        return readers.submit(() -> readBytes(process.getInputStream(), expected.length()));
    }

    /**
     * Completes {@code bound} when socat logs that it has bound the socket (false if it exits first)
     * and keeps draining its log so it never blocks on a full pipe.
     */
    private static void watchLog(InputStream stderr, CompletableFuture<Boolean> bound) {
        BufferedReader lines = new BufferedReader(new InputStreamReader(stderr, StandardCharsets.UTF_8));
        try {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.contains("starting data transfer loop")) {
                    bound.complete(true);
                }
            }
            bound.complete(false);
        } catch (IOException e) {
            bound.completeExceptionally(e);
        }
    }

    private static String readBytes(InputStream stdout, int count) throws IOException {
        return new String(stdout.readNBytes(count), StandardCharsets.UTF_8);
    }

    private static byte[] family() {
        return ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? new byte[] {1, 0} : new byte[] {0, 1};
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
