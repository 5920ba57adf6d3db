package io.waveos.companion.guardian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.companion.frame.Endpoint;
import io.waveos.companion.frame.EnvelopeCodec;
import io.waveos.companion.frame.FrameDecoder;
import io.waveos.companion.frame.FrameEncoder;
import io.waveos.companion.frame.FrameLimits;
import io.waveos.companion.link.BeatSource;
import io.waveos.companion.link.LinkConfig;
import io.waveos.companion.link.LinkOutput;
import io.waveos.companion.link.LinkSession;
import io.waveos.companion.link.LinkState;
import io.waveos.companion.link.PeerInfo;
import io.waveos.companion.proto.AgentMode;
import io.waveos.companion.proto.Envelope;
import io.waveos.companion.proto.Heartbeat;
import io.waveos.companion.transport.ByteTransport;
import io.waveos.companion.transport.TcpTransport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code waveos guardian} as a whole, with real threads, a real TCP connection, the Pi4J mock and a
 * real state folder; bounded in time. The device is a {@link LinkSession} driven by the test thread.
 */
class GuardianMainTest {
    private static final Duration BEAT = Duration.ofMillis(200);
    private static final long DEADLINE_NANOS = Duration.ofSeconds(20).toNanos();

    @TempDir
    Path temp;

    /** A device end over TCP, stepped by the test thread every 20 ms. */
    private static final class Device implements AutoCloseable {
        final ConcurrentLinkedQueue<byte[]> received = new ConcurrentLinkedQueue<>();
        final List<Envelope> delivered = new ArrayList<>();
        final List<LinkOutput> events = new ArrayList<>();
        final TcpTransport transport;
        final LinkSession link;
        boolean hung;

        Device(int port, String bootId) throws IOException {
            transport = new TcpTransport(new InetSocketAddress("127.0.0.1", port), Duration.ofSeconds(1));
            FrameEncoder encoder = FrameEncoder.plain(FrameLimits.DEFAULT);
            link = new LinkSession(LinkConfig.DEFAULTS.withHeartbeatPeriod(BEAT), Endpoint.DEVICE, encoder,
                    FrameDecoder.plain(FrameLimits.DEFAULT), Optional.empty(),
                    new EnvelopeCodec(encoder.maxPayloadBytes()),
                    new PeerInfo(1, List.of(), "dev-1", "agent-test", bootId),
                    BeatSource.heartbeats(() -> Heartbeat.newBuilder().setMode(AgentMode.AGENT_MODE_NORMAL)
                            .setLoopHealthy(true).setSummary("ok").build()));
            connect();
            perform(link.start(System.nanoTime()));
        }

        private void connect() throws IOException {
            long start = System.nanoTime();
            while (true) {
                try {
                    transport.open(new ByteTransport.Receiver() {
                        @Override
                        public void onBytes(byte[] buf, int off, int len) {
                            received.add(Arrays.copyOfRange(buf, off, off + len));
                        }

                        @Override
                        public void onClosed(String reason) {
                        }
                    });
                    return;
                } catch (IOException e) {
                    if (System.nanoTime() - start > DEADLINE_NANOS) {
                        throw e;
                    }
                    pause();
                }
            }
        }

        void perform(List<LinkOutput> outputs) throws IOException {
            for (LinkOutput output : outputs) {
                if (output instanceof LinkOutput.Transmit t) {
                    transport.send(t.wire());
                } else if (output instanceof LinkOutput.Deliver d) {
                    delivered.add(d.env());
                } else {
                    events.add(output);
                }
            }
        }

        /** Steps until {@code done} holds; fails after the deadline. A hung device neither reads nor ticks. */
        void until(BooleanSupplier done, String what) throws IOException {
            long start = System.nanoTime();
            while (!done.getAsBoolean()) {
                if (System.nanoTime() - start > DEADLINE_NANOS) {
                    throw new AssertionError("timed out waiting until " + what + "; device saw " + events
                            + " and " + delivered);
                }
                if (!hung) {
                    for (byte[] chunk = received.poll(); chunk != null; chunk = received.poll()) {
                        perform(link.onBytes(chunk, 0, chunk.length, System.nanoTime()));
                    }
                    perform(link.tick(System.nanoTime()));
                }
                pause();
            }
        }

        @Override
        public void close() {
            transport.close();
        }

        private static void pause() {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String log(Path state) throws IOException {
        Path file = state.resolve(GuardianLog.FILE);
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    @Test
    void resetsAHungDeviceOverTcpAndTellsItsNextBootWhy() throws Exception {
        int port = freePort();
        Path state = temp.resolve("state");
        Path config = temp.resolve("guardian.properties");
        Files.writeString(config, String.join("\n", "watchdog.heartbeat-period = 200ms", "watchdog.grace = 1s",
                "watchdog.boot-grace = 30s", "tick-period = 50ms"));
        GuardianLoop.StopHandle stop = new GuardianLoop.StopHandle();
        AtomicInteger exit = new AtomicInteger(-1);
        Thread guardian = new Thread(() -> exit.set(GuardianMain.run(List.of("--tcp-listen", "127.0.0.1:" + port,
                "--state", state.toString(), "--plain", "--config", config.toString()), stop)), "guardian-under-test");
        guardian.start();
        try {
            try (Device device = new Device(port, "boot-1")) {
                device.until(() -> device.events.stream().anyMatch(e -> e instanceof LinkOutput.StateChanged s
                        && s.to() == LinkState.UP), "the link is up");
                // Three Guardian beats (200 ms apart) mean the device, ticking meanwhile, has sent its own
                // heartbeats: the Guardian's watchdog has left its boot grace before the device hangs.
                device.until(() -> device.delivered.stream().filter(Envelope::hasTimeWitness).count() >= 3,
                        "three time witnesses");
                device.hung = true;
                device.until(() -> {
                    try {
                        return log(state).contains("\"code\":\"DEVICE_RESET\"");
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                }, "the Guardian resets the hung device");
            }
            try (Device rebooted = new Device(port, "boot-2")) {
                rebooted.until(() -> rebooted.delivered.stream().anyMatch(Envelope::hasResetWitness),
                        "the new boot hears the witness");
                assertTrue(rebooted.delivered.stream().filter(Envelope::hasResetWitness).findFirst().orElseThrow()
                        .getResetWitness().getGuardianResetDevice());
            }
        } finally {
            stop.request("the test is over");
            guardian.join(10_000);
        }
        assertFalse(guardian.isAlive());
        assertEquals(GuardianMain.EXIT_OK, exit.get());
        String log = log(state);
        for (String code : List.of("GUARDIAN_STARTED", "LINK_UP", "DEVICE_RESET", "DEVICE_RESTARTED", "GUARDIAN_STOPPED")) {
            assertTrue(log.contains("\"code\":\"" + code + "\""), code + " in\n" + log);
        }
        assertTrue(log.contains("\"text\":\"the test is over\""), log);
        assertEquals(1, GuardianState.load(DirectoryStateFolder.open(state)).bootCounter());
    }

    @Test
    void refusesKeysThatOthersCanRead() throws Exception {
        Path keys = temp.resolve("link.keys");
        Files.writeString(keys, "sign = 1\n");
        Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rw-r--r--"));
        int code = GuardianMain.run(List.of("--tcp-listen", "127.0.0.1:0", "--state", temp.resolve("s").toString(),
                "--key-file", keys.toString()), new GuardianLoop.StopHandle());
        assertEquals(GuardianMain.EXIT_CONFIG, code);
        assertFalse(Files.exists(temp.resolve("s")), "refused before touching the state folder");
    }

    @Test
    void refusesAMissingKeyFileInsteadOfRunningPlain() {
        int code = GuardianMain.run(List.of("--tcp-listen", "127.0.0.1:0", "--state", temp.resolve("s").toString(),
                "--key-file", temp.resolve("absent.keys").toString()), new GuardianLoop.StopHandle());
        assertEquals(GuardianMain.EXIT_CONFIG, code);
    }

    @Test
    void anInvalidCommandLineIsAUsageError() {
        assertEquals(GuardianMain.EXIT_USAGE, GuardianMain.run(List.of("--port", "/dev/null"),
                new GuardianLoop.StopHandle()));
    }

    @Test
    void countsItsRunsAcrossRestarts() throws Exception {
        Path state = temp.resolve("state");
        for (int run = 1; run <= 2; run++) {
            GuardianLoop.StopHandle stop = new GuardianLoop.StopHandle();
            stop.request("stopped at once");
            assertEquals(GuardianMain.EXIT_OK, GuardianMain.run(List.of("--tcp-listen", "127.0.0.1:0", "--state",
                    state.toString(), "--plain"), stop));
            assertEquals(run, GuardianState.load(DirectoryStateFolder.open(state)).bootCounter());
        }
        assertTrue(log(state).contains("\"boot\":2,"), log(state));
    }
}
