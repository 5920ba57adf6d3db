package io.waveos.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.fixture.AgentJvm;
import io.waveos.agent.fixture.Eventually;
import io.waveos.agent.fixture.ProcTable;
import io.waveos.agent.telemetry.EventChainVerifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real agent, as its own JVM, with real child processes: kill -9 at several moments while
 * services restart, then check that no service runs twice and nothing is orphaned.
 */
class CrashOnlyIntegrationTest {
    @TempDir
    Path work;
    private AgentJvm jvm;

    @AfterEach
    void cleanUp() throws IOException {
        jvm.close();
    }

    private Path config() throws IOException {
        String yaml = String.join("\n",
                "schema_version: 1",
                "device_id: it-crash-only",
                "paths: {state: \"" + work.resolve("state") + "\", logs: \"" + work.resolve("logs") + "\"}",
                "services:",
                "  - name: steady",
                "    command: [\"/bin/sh\", \"-c\", \"sleep 1000 & while :; do sleep 1; done\"]",
                "    essential: true",
                "  - name: flapper",
                "    command: [\"/bin/sh\", \"-c\", \"sleep 0.05; exit 1\"]",
                "    restart: {policy: always, backoff: {initial: 0s, max: 0s, factor: 1, jitter: 0, reset_after: 60s},"
                        + " intensity: {max: 100000, within: 1s}}",
                "  - name: stubborn",
                "    command: [\"/bin/sh\", \"-c\", \"trap '' TERM; while :; do sleep 1; done\"]",
                "    depends_on: [steady]",
                "    stop: {signal: TERM, timeout: 1s}",
                "shutdown: {budget: 10s}",
                "");
        Path file = work.resolve("agent.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private Process startAgent(Path config, int generation) throws IOException {
        return jvm.start(config, "agent-" + generation + ".out", List.of("-Xmx32m", "-XX:+UseSerialGC"), Map.of());
    }

    private String marker() throws IOException {
        Eventually.until(Duration.ofSeconds(30), () -> Files.exists(work.resolve("state/instance_id")),
                () -> "instance id written");
        return Files.readString(work.resolve("state/instance_id")).trim();
    }

    private List<String> runs() {
        Path runs = work.resolve("logs/runs");
        if (!Files.isDirectory(runs)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(runs)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.equals("current")).sorted().toList();
        } catch (IOException e) {
            throw new AssertionError("cannot list " + runs, e);
        }
    }

    private String events(String run) {
        try {
            Path f = work.resolve("logs/runs").resolve(run).resolve("events.jsonl");
            return Files.exists(f) ? Files.readString(f) : "";
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static long count(String events, String code) {
        return events.lines().filter(l -> l.contains("\"code\":\"" + code + "\"")).count();
    }

    /** Leaders (pid == pgid) per service among the marked processes. */
    private static Map<String, List<Long>> leaders(String marker) {
        return ProcTable.marked(marker).stream().filter(p -> p.pid() == p.pgid())
                .collect(Collectors.groupingBy(ProcTable.Proc::service,
                        Collectors.mapping(ProcTable.Proc::pid, Collectors.toList())));
    }

    @Test
    void killNineWhileServicesRestartLeavesNoDuplicatesAndNoOrphans() throws Exception {
        jvm = new AgentJvm(work);
        Path config = config();
        int generations = 4;
        Set<Long> previousGeneration = new HashSet<>();
        String marker = null;
        for (int g = 1; g <= generations; g++) {
            Process agent = startAgent(config, g);
            marker = marker();
            int gen = g;
            Eventually.until(Duration.ofSeconds(60), () -> runs().size() == gen
                    && count(events(runs().get(gen - 1)), "systemd.ready") == 1
                    && count(events(runs().get(gen - 1)), "service.restart_scheduled") >= 3 * gen,
                    () -> "generation " + gen + " ready and restarting flapper; runs " + runs());
            String m = marker;
            // The previous generation's processes are all gone (stopped by this generation's sweep).
            Set<Long> alive = ProcTable.marked(m).stream().map(ProcTable.Proc::pid).collect(Collectors.toSet());
            alive.retainAll(previousGeneration);
            assertEquals(Set.of(), alive, "processes of the killed generation survived into generation " + g);
            // No service runs twice.
            leaders(m).forEach((service, pids) -> assertTrue(pids.size() <= 1,
                    service + " runs twice: " + pids + " in generation " + gen));
            if (g > 1) {
                String ev = events(runs().get(g - 1));
                assertTrue(ev.contains("\"previous_stop\":\"agent_crash\""), "crash not classified: " + ev);
                assertTrue(count(ev, "service.orphan_found") >= 2, "orphans not found: " + ev);
            }
            previousGeneration = ProcTable.marked(m).stream().map(ProcTable.Proc::pid).collect(Collectors.toSet());
            if (g < generations) {
                agent.destroyForcibly(); // SIGKILL, mid-restart-storm of flapper
                assertTrue(agent.waitFor(30, TimeUnit.SECONDS));
            } else {
                agent.destroy(); // SIGTERM: the graceful path
                assertTrue(agent.waitFor(60, TimeUnit.SECONDS), "agent did not stop after SIGTERM");
                assertEquals(0, agent.exitValue(), Files.readString(work.resolve("agent-" + g + ".out")));
            }
        }
        String m = marker;
        Eventually.until(Duration.ofSeconds(10), () -> ProcTable.marked(m).isEmpty(),
                () -> "processes left after a clean shutdown: " + ProcTable.marked(m));
        String last = events(runs().get(generations - 1));
        assertTrue(last.contains("\"code\":\"service.killed\",\"subject\":\"stubborn\""), last);
        assertTrue(last.trim().endsWith("}") && last.lines().reduce((a, b) -> b).orElseThrow()
                .contains("agent.stopped"), "last event is not agent.stopped");
        for (String run : runs()) {
            byte[] bytes = Files.readAllBytes(work.resolve("logs/runs").resolve(run).resolve("events.jsonl"));
            assertTrue(EventChainVerifier.verify(bytes) instanceof EventChainVerifier.Valid, run + " chain broken");
        }
        assertTrue(Files.exists(work.resolve("state/clean_shutdown.json")));
        assertTrue(new String(Files.readAllBytes(work.resolve("state/processes.json")), StandardCharsets.UTF_8)
                .contains("\"processes\":{}"));
    }
}
