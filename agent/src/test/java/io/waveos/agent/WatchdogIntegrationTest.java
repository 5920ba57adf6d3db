package io.waveos.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.waveos.agent.fixture.AgentJvm;
import io.waveos.agent.fixture.Eventually;
import io.waveos.agent.fixture.ProcTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real agent JVM under a stand-in for systemd (a socat datagram socket as NOTIFY_SOCKET) and with
 * a fake hardware watchdog device (a plain file): READY=1, periodic WATCHDOG=1, kicks, the magic
 * close on SIGTERM, and no leak of the notify socket into services.
 */
class WatchdogIntegrationTest {
    @TempDir
    Path work;
    private AgentJvm jvm;

    @AfterEach
    void cleanUp() throws IOException {
        if (jvm != null) {
            jvm.close();
        }
    }

    private static boolean socatPresent() {
        return Files.isExecutable(Path.of("/usr/bin/socat")) || Files.isExecutable(Path.of("/bin/socat"));
    }

    @Test
    void notifiesSystemdKicksTheDeviceAndDisarmsItOnCleanShutdown() throws Exception {
        assumeTrue(socatPresent(), "socat is not installed");
        jvm = new AgentJvm(work);
        Path socket = work.resolve("notify.sock");
        Path received = work.resolve("notify.log");
        Path device = work.resolve("fake-watchdog");
        Files.createFile(device);
        Process socat = new ProcessBuilder("socat", "-u", "UNIX-RECV:" + socket, "OPEN:" + received
                + ",creat,append").redirectErrorStream(true).start();
        jvm.track(socat);
        Eventually.until(Duration.ofSeconds(10), () -> Files.exists(socket), () -> "socat bound " + socket);

        Path config = work.resolve("agent.yaml");
        Files.writeString(config, String.join("\n",
                "schema_version: 1",
                "device_id: it-watchdog",
                "paths: {state: \"" + work.resolve("state") + "\", logs: \"" + work.resolve("logs") + "\"}",
                "services:",
                "  - name: idle",
                "    command: [\"/bin/sh\", \"-c\", \"while :; do sleep 1; done\"]",
                "  - name: flood",
                "    command: [\"yes\", \"a line from a service that floods its standard output\"]",
                "watchdog: {device: \"" + device + "\", kick_interval: 200ms, boot_status: null}",
                "output: {max_file_size: 64KiB, keep: 1}",
                ""));
        // A small heap: a flooding service must not grow the agent's memory.
        Process agent = jvm.start(config, "agent.out", List.of("-Xmx16m", "-XX:+ExitOnOutOfMemoryError"),
                Map.of("NOTIFY_SOCKET", socket.toString(), "WATCHDOG_USEC", "1000000"));

        Eventually.until(Duration.ofSeconds(60), () -> read(received).contains("READY=1")
                && count(read(received), "WATCHDOG=1") >= 3, () -> "notifications so far: " + read(received));
        Eventually.until(Duration.ofSeconds(30), () -> size(device) >= 5, () -> "kicks so far: " + size(device));

        // The flood has been rotated several times, the files stay within their cap, and the loop
        // keeps pinging meanwhile.
        Path stdout = work.resolve("logs/services/flood.stdout.log");
        Eventually.until(Duration.ofSeconds(30), () -> Files.exists(stdout.resolveSibling("flood.stdout.log.1")),
                () -> "flood output rotated");
        long pingsBefore = count(read(received), "WATCHDOG=1");
        Eventually.until(Duration.ofSeconds(30), () -> count(read(received), "WATCHDOG=1") >= pingsBefore + 4,
                () -> "pings while flooding: " + count(read(received), "WATCHDOG=1"));
        long onDisk = floodBytesOnDisk(work.resolve("logs/services"));
        assertTrue(onDisk <= 2 * 64 * 1024 + 8192, "flood output exceeds its cap: " + onDisk + " bytes");
        assertTrue(agent.isAlive(), "the agent died under the flood: " + read(work.resolve("agent.out")));

        // The operator's view through the real control socket and CLI.
        java.io.ByteArrayOutputStream cliOut = new java.io.ByteArrayOutputStream();
        java.io.PrintStream cli = new java.io.PrintStream(cliOut, true, StandardCharsets.UTF_8);
        assertEquals(0, WaveosCli.run(new String[] {"status", "--config", config.toString()}, cli, cli));
        assertTrue(cliOut.toString(StandardCharsets.UTF_8).contains("service idle RUNNING pid"), cliOut.toString());
        cliOut.reset();
        assertEquals(0, WaveosCli.run(new String[] {"mode", "clear", "--config", config.toString()}, cli, cli));
        assertEquals("ok mode NORMAL\n", cliOut.toString(StandardCharsets.UTF_8));

        String marker = Files.readString(work.resolve("state/instance_id")).trim();
        List<ProcTable.Proc> services = ProcTable.marked(marker);
        assertFalse(services.isEmpty());
        for (ProcTable.Proc p : services) {
            String env = new String(Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "environ")),
                    StandardCharsets.UTF_8);
            assertFalse(env.contains("NOTIFY_SOCKET="), "the notify socket leaked into service process " + p);
            assertFalse(env.contains("WATCHDOG_USEC="), "WATCHDOG_USEC leaked into service process " + p);
        }

        agent.destroy();
        assertTrue(agent.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, agent.exitValue(), read(work.resolve("agent.out")));
        byte[] kicks = Files.readAllBytes(device);
        assertEquals('V', kicks[kicks.length - 1], "no magic close on clean shutdown");
        Eventually.until(Duration.ofSeconds(10), () -> read(received).contains("STOPPING=1"),
                () -> "notifications: " + read(received));
    }

    /**
     * Bytes in the flood's stdout files. The service keeps rotating them, so a file can vanish between
     * listing and measuring; the measurement is then taken again.
     */
    private static long floodBytesOnDisk(Path dir) throws IOException {
        for (int attempt = 0; ; attempt++) {
            long total = 0;
            try (var files = Files.list(dir)) {
                for (Path f : files.filter(f -> f.getFileName().toString().startsWith("flood.stdout")).toList()) {
                    total += Files.size(f);
                }
                return total;
            } catch (java.nio.file.NoSuchFileException e) {
                if (attempt >= 100) {
                    throw e;
                }
            }
        }
    }

    private static String read(Path f) {
        try {
            return Files.exists(f) ? Files.readString(f, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static long count(String text, String what) {
        return text.split(what, -1).length - 1;
    }
}
