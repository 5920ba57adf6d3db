package io.waveos.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.waveos.agent.fixture.AgentJvm;
import io.waveos.agent.fixture.Eventually;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WaveOS v2 end to end: the real agent and the reference Guardian as separate JVMs, on the two ends
 * of a real PTY pair made by socat, jSerialComm on both, with an authenticated link. The agent is
 * frozen (SIGSTOP): its heartbeats stop and the Guardian resets the device through its (mock) reset
 * line. The test plays the reset's effect (the agent dies and starts again), and the new agent hears
 * the Guardian's reset witness.
 */
class GuardianSerialIntegrationTest {
    @TempDir
    Path work;
    private AgentJvm jvm;
    private final List<Process> others = new ArrayList<>();

    @AfterEach
    void cleanUp() throws IOException {
        for (Process p : others) {
            p.destroyForcibly();
        }
        if (jvm != null) {
            jvm.close();
        }
    }

    private static boolean socatPresent() {
        return Files.isExecutable(Path.of("/usr/bin/socat")) || Files.isExecutable(Path.of("/bin/socat"));
    }

    private static String read(Path f) {
        try {
            return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void signal(long pid, String sig) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + sig + " " + pid);
    }

    private Path guardianLogPath() {
        return work.resolve("guardian-state").resolve("guardian-log.jsonl");
    }

    @Test
    void guardianResetsAFrozenDeviceOverASerialLineAndTheAgentHearsTheWitness() throws Exception {
        assumeTrue(socatPresent(), "socat is not installed");
        jvm = new AgentJvm(work);
        Path deviceEnd = work.resolve("tty-device");
        Path guardianEnd = work.resolve("tty-guardian");
        Process socat = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + deviceEnd, "pty,raw,echo=0,link="
                + guardianEnd).redirectErrorStream(true).redirectOutput(work.resolve("socat.out").toFile()).start();
        others.add(socat);
        Eventually.until(Duration.ofSeconds(10), () -> Files.exists(deviceEnd) && Files.exists(guardianEnd),
                () -> "socat PTY links");

        SecureRandom random = new SecureRandom();
        byte[] d2g = new byte[32];
        byte[] g2d = new byte[32];
        random.nextBytes(d2g);
        random.nextBytes(g2d);
        Path keys = work.resolve("link.keys");
        Files.writeString(keys, "sign = 1\nkey.1.device_to_guardian = " + HexFormat.of().formatHex(d2g)
                + "\nkey.1.guardian_to_device = " + HexFormat.of().formatHex(g2d) + "\n");
        Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rw-------"));
        Path props = work.resolve("guardian.properties");
        Files.writeString(props, "watchdog.grace = 3s\nwatchdog.boot-grace = 30s\n");

        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path guardianState = work.resolve("guardian-state");
        Process guardian = new ProcessBuilder(java.toString(), "-Xmx32m", "-cp", System.getProperty("java.class.path"),
                "io.waveos.companion.guardian.GuardianMain", "--port", guardianEnd.toString(), "--state",
                guardianState.toString(), "--key-file", keys.toString(), "--device-id", "it-v2", "--config",
                props.toString()).redirectErrorStream(true).redirectOutput(work.resolve("guardian.out").toFile()).start();
        others.add(guardian);

        Path config = work.resolve("agent.yaml");
        Files.writeString(config, String.join("\n",
                "schema_version: 1",
                "device_id: it-v2",
                "paths: {state: \"" + work.resolve("state") + "\", logs: \"" + work.resolve("logs") + "\"}",
                "services:",
                "  - name: idle",
                "    command: [\"/bin/sh\", \"-c\", \"while :; do sleep 1; done\"]",
                "companion:",
                "  serial: {device: \"" + deviceEnd + "\", baud: 115200}",
                "  key_file: \"" + keys + "\"",
                ""));
        Process agent = jvm.start(config, "agent.out", List.of("-Xmx32m"), Map.of());
        // (replaced below when the Guardian's reset "reboots" the device)
        Path events = work.resolve("logs/runs/current/events.jsonl");
        Eventually.until(Duration.ofSeconds(60), () -> read(events).contains("\"to\":\"UP\""),
                () -> "link up; agent events: " + read(events) + "\nguardian: " + read(work.resolve("guardian.out")));

        // Heartbeats flow before the freeze: no reset yet.
        // Let heartbeats flow for three periods (1 s each) so the Guardian's watchdog has left its boot
        // grace and watches them.
        long upAt = System.nanoTime();
        Eventually.until(Duration.ofSeconds(30), () -> System.nanoTime() - upAt > Duration.ofSeconds(3).toNanos(),
                () -> "three heartbeat periods");
        assertTrue(!read(guardianLogPath()).contains("DEVICE_RESET"), "reset before the freeze: "
                + read(guardianLogPath()));
        signal(agent.pid(), "STOP");
        Path guardianLog = guardianLogPath();
        Eventually.until(Duration.ofSeconds(30), () -> read(guardianLog).contains("\"code\":\"DEVICE_RESET\""),
                () -> "Guardian reset; its log: " + read(guardianLog));
        assertTrue(read(guardianLog).contains("HEARTBEATS_STOPPED"), read(guardianLog));
        // The reset line would reboot a real device; here the frozen agent dies and starts again.
        agent.destroyForcibly();
        assertTrue(agent.waitFor(30, TimeUnit.SECONDS));
        agent = jvm.start(config, "agent-2.out", List.of("-Xmx32m"), Map.of());
        Eventually.until(Duration.ofSeconds(60), () -> read(events).contains("companion.reset_witness"),
                () -> "witness reported to the restarted agent; events: " + read(events));
        assertTrue(read(events).contains("HEARTBEATS_STOPPED"), read(events));

        agent.destroy();
        assertTrue(agent.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, agent.exitValue(), read(work.resolve("agent-2.out")));
    }
}
