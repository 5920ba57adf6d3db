package io.waveos.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.config.AgentConfig;
import io.waveos.agent.config.ConfigLoader;
import io.waveos.agent.evidence.EvidenceArchive;
import io.waveos.agent.evidence.Incident;
import io.waveos.agent.evidence.IncidentKind;
import io.waveos.agent.platform.fake.FakeProcessMetrics;
import io.waveos.agent.platform.fake.FakeStorage;
import io.waveos.agent.platform.fake.FakeSystemMetrics;
import io.waveos.agent.platform.fake.QueuedWorker;
import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.EventCode;
import io.waveos.agent.telemetry.EventLog;
import io.waveos.agent.telemetry.Redaction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A secret planted in the config never appears in any file the agent writes. */
class SecretScanTest {
    static final String SECRET = "hunter2-planted-secret-7731";
    static final Path RUN = Path.of("/logs/runs/20261122T050000Z-1");

    final FakeStorage storage = new FakeStorage();

    @Test
    void aSecretEnvValueIsRedactedFromEveryFileTheAgentProduced() throws Exception {
        AgentConfig config = new ConfigLoader().parse("agent.yaml", """
                schema_version: 1
                device_id: press-07
                paths: {state: /state, logs: /logs}
                services:
                  - name: modem
                    command: [/opt/modem]
                    env: {TOKEN: {value: "%s", secret: true}, MODE: prod}
                    restart: {intensity: {max: 1, within: 60s}}
                telemetry: {sample_interval: 1s, write_interval: 10s}
                evidence: {min_interval: 0s}
                """.formatted(SECRET));
        Redaction redaction = AgentMain.redaction(config);
        AgentHarness h = new AgentHarness(config);
        storage.createDirectories(RUN);
        EventLog log = new EventLog(storage, RUN.resolve("events.jsonl"), h.time, redaction);
        h.tee = log;
        storage.writeAtomically(RUN.resolve("run_meta.json"), "{}\n".getBytes(StandardCharsets.UTF_8));
        // The service prints its token (its own log is its business, not the agent's output).
        storage.createDirectories(Path.of("/logs/services"));
        storage.writeAtomically(Path.of("/logs/services/modem.stdout.log"),
                ("connecting with token " + SECRET + "\n").getBytes(StandardCharsets.UTF_8));
        QueuedWorker worker = new QueuedWorker();
        AgentTelemetry telemetry = new AgentTelemetry(config.telemetry(), new AgentTelemetry.Ports(
                new FakeSystemMetrics(), new FakeProcessMetrics(), storage, worker, h.time, h.time, h.time,
                h.loop::submit, () -> 1, () -> 2), Optional.of(RUN.resolve("metrics.csv")), config.evidence(),
                new EvidenceArchive.Run("press-07", "20261122T050000Z-1", RUN.resolve("run_meta.json"),
                        RUN.resolve("events.jsonl"), Path.of("/logs/services"), () -> Map.of("agent", "t"), redaction));
        h.agent.attachTelemetry(telemetry);

        h.start();
        // Something echoes the secret into an event and into an incident's reason.
        h.agent.handle(new LoopEvent.Emit(Event.of(EventCode.STATE_WRITE_FAILED, "agent",
                "could not write TOKEN=" + SECRET, "detail", "value " + SECRET)));
        h.agent.incidents().report(new Incident(IncidentKind.POLICY_NOTIFY, "rule-1", "saw " + SECRET,
                List.of("modem")));
        h.crash("modem", 1);
        h.advance(Duration.ofSeconds(5));
        h.crash("modem", 1);
        h.advance(Duration.ofSeconds(20));
        worker.runAll();
        h.advance(Duration.ofSeconds(10));
        worker.runAll();
        log.sync();

        List<Path> written = files(Path.of("/"));
        written.removeIf(p -> p.startsWith("/logs/services"));
        assertTrue(written.contains(RUN.resolve("metrics.csv")), written.toString());
        assertTrue(written.contains(RUN.resolve("events.jsonl")), written.toString());
        assertEquals(2, EvidenceArchive.packFiles(storage, Path.of("/logs/evidence")).size(), written.toString());
        for (Path p : written) {
            String text = new String(storage.read(p).orElseThrow(), StandardCharsets.ISO_8859_1);
            assertFalse(text.contains(SECRET), p + " holds the secret");
            if (!p.equals(Path.of("/state/evidence_key.pem"))) {
                assertFalse(text.contains("PRIVATE KEY"), p + " holds private key material");
            }
        }
        String events = new String(storage.read(RUN.resolve("events.jsonl")).orElseThrow(), StandardCharsets.UTF_8);
        assertTrue(events.contains("could not write TOKEN=***"), "the event is kept, with the secret masked");
    }

    private List<Path> files(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        for (String name : storage.list(dir)) {
            Path p = dir.resolve(name);
            try {
                storage.read(p);
                out.add(p);
            } catch (IOException isDirectory) {
                out.addAll(files(p));
            }
        }
        return out;
    }
}
