package io.waveos.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.fixture.AgentJvm;
import io.waveos.agent.fixture.Eventually;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real agent: services' output and the agent's own lines reach the spool; waveos logs reads it live;
 * forwarding to a loopback HTTP endpoint resumes after a restart.
 */
class SpoolIntegrationTest {
    @TempDir
    Path work;

    private AgentJvm jvm;

    @AfterEach
    void stop() throws Exception {
        if (jvm != null) {
            jvm.close();
        }
    }

    private String logs(Path config, String... extra) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        String[] args = new String[2 + extra.length];
        args[0] = "--config";
        args[1] = config.toString();
        System.arraycopy(extra, 0, args, 2, extra.length);
        int code = new LogsCli(new io.waveos.agent.platform.linux.LinuxStorage(), out, out, () -> { }, () -> false)
                .run(args, java.time.Instant.now());
        assertEquals(0, code, bytes.toString(StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void servicesOutputAndAgentLinesAreReadableWhileTheAgentRunsAndAfterItStops() throws Exception {
        jvm = new AgentJvm(work);
        Path config = work.resolve("agent.yaml");
        Files.writeString(config, String.join("\n",
                "schema_version: 1",
                "device_id: it-spool",
                "paths: {state: \"" + work.resolve("state") + "\", logs: \"" + work.resolve("logs") + "\"}",
                "services:",
                "  - name: talker",
                "    command: [\"/bin/sh\", \"-c\", \"i=0; while :; do i=$((i+1)); echo tick $i; echo warn $i >&2;"
                        + " sleep 0.1; done\"]",
                "spool: {durability: batch, batch_interval: 100ms}",
                ""));
        Process agent = jvm.start(config, "agent.out", List.of("-Xmx32m"), Map.of());
        Eventually.until(Duration.ofSeconds(60), () -> logs(config, "--service", "talker").contains("| tick 5\n"),
                () -> "talker's lines in the spool: " + logs(config) + "\nagent: " + read(work.resolve("agent.out")));
        String talker = logs(config, "--service", "talker");
        assertTrue(talker.contains(" talker stdout "), talker);
        assertTrue(talker.contains(" talker stderr ") && talker.contains("| warn 3\n"), talker);
        assertTrue(logs(config).contains(" agent agent "), "the agent's own lines are spooled too");
        assertTrue(logs(config, "--service", "agent").contains("service.starting talker"), logs(config));
        assertEquals("", logs(config, "--since", "2h", "--service", "nobody"));
        assertTrue(!Files.exists(work.resolve("logs/services")), "no output files without an output: section");

        agent.destroy(); // SIGTERM: the agent stops its services, then writes and fsyncs their last lines
        assertTrue(agent.waitFor(60, TimeUnit.SECONDS), "the agent stops");
        String after = logs(config);
        assertTrue(after.contains("agent.stopping"), after);
        AtomicInteger ticks = new AtomicInteger();
        after.lines().filter(l -> l.contains(" talker stdout ")).forEach(l -> ticks.incrementAndGet());
        assertTrue(ticks.get() >= 5, after);
    }

    @Test
    void forwardsToALoopbackHttpEndpointAndResumesAfterARestartWithoutLoss() throws Exception {
        java.util.Set<Long> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        AtomicInteger received = new AtomicInteger();
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/ingest", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            for (String line : body.split("\n")) {
                try {
                    Map<String, Object> m = io.waveos.bundles.json.Json.parseObject(line.getBytes(StandardCharsets.UTF_8));
                    if ("talker".equals(m.get("service"))) {
                        seen.add((Long) m.get("seq"));
                    }
                    received.incrementAndGet();
                } catch (io.waveos.bundles.json.Json.ParseException e) {
                    throw new java.io.IOException(e);
                }
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        try {
            jvm = new AgentJvm(work);
            Path config = work.resolve("agent.yaml");
            Files.writeString(config, String.join("\n",
                    "schema_version: 1",
                    "device_id: it-forward",
                    "paths: {state: \"" + work.resolve("state") + "\", logs: \"" + work.resolve("logs") + "\"}",
                    "services:",
                    "  - name: talker",
                    "    command: [\"/bin/sh\", \"-c\", \"i=0; while :; do i=$((i+1)); echo tick $i; sleep 0.02; done\"]",
                    "spool:",
                    "  forward:",
                    "    - {name: central, url: \"http://127.0.0.1:" + server.getAddress().getPort() + "/ingest\","
                            + " batch_records: 20}",
                    ""));
            Process first = jvm.start(config, "agent1.out", List.of("-Xmx32m"), Map.of());
            Eventually.until(Duration.ofSeconds(60), () -> seen.size() >= 20,
                    () -> "forwarded so far: " + seen.size() + "; agent: " + read(work.resolve("agent1.out")));
            first.destroy();
            assertTrue(first.waitFor(60, TimeUnit.SECONDS));
            int beforeRestart = seen.size();
            Process second = jvm.start(config, "agent2.out", List.of("-Xmx32m"), Map.of());
            Eventually.until(Duration.ofSeconds(60), () -> seen.size() >= beforeRestart + 20,
                    () -> "forwarded after the restart: " + seen.size());
            second.destroy();
            assertTrue(second.waitFor(60, TimeUnit.SECONDS));
            long max = java.util.Collections.max(seen);
            long min = java.util.Collections.min(seen);
            // Every talker record between the first and the last forwarded one arrived: none lost.
            List<Long> spooled = new java.util.ArrayList<>();
            io.waveos.agent.spool.SpoolReader reader = new io.waveos.agent.spool.SpoolReader(
                    new io.waveos.agent.platform.linux.LinuxStorage(), work.resolve("logs/spool"));
            reader.read(reader.oldest().orElseThrow(), Integer.MAX_VALUE).records().stream()
                    .filter(r -> r.service().equals("talker") && r.sequence() >= min && r.sequence() <= max)
                    .forEach(r -> spooled.add(r.sequence()));
            assertTrue(seen.containsAll(spooled), "lost: " + spooled.stream().filter(s -> !seen.contains(s)).toList());
            assertTrue(Files.readString(work.resolve("logs/spool/forward-central.cursor")).startsWith("cursor="));
        } finally {
            server.stop(0);
        }
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
