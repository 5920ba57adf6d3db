package io.waveos.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The telemetry and evidence sections of agent.yaml, and secrets. */
class TelemetryConfigTest {
    static final String BASE = """
            schema_version: 1
            device_id: press-07
            paths: {state: /var/lib/w, logs: /var/log/w}
            services:
              - name: modem
                command: [/opt/modem]
            """;

    static AgentConfig parse(String extra) throws ConfigException {
        return new ConfigLoader().parse("agent.yaml", BASE + extra);
    }

    static void assertProblem(String extra, String prefix, String expectation) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(extra));
        assertTrue(e.getMessage().lines().anyMatch(l -> l.startsWith(prefix) && l.contains(expectation)),
                () -> "no '" + prefix + "' with '" + expectation + "' in:\n" + e.getMessage());
    }

    @Test
    void defaultsSampleEveryMinuteWriteEveryFiveAndPackUnderTheLogFolder() throws ConfigException {
        AgentConfig c = parse("");
        assertEquals(Duration.ofSeconds(60), c.telemetry().sampleInterval());
        assertEquals(Duration.ofMinutes(5), c.telemetry().writeInterval());
        assertEquals(Path.of("/var/log/w/evidence"), c.evidence().dir());
        assertEquals(Path.of("/var/lib/w/evidence_key.pem"), c.evidence().key());
        assertEquals(Optional.of(Duration.ofHours(24)), c.evidence().schedule());
    }

    @Test
    void readsEveryKey() throws ConfigException {
        AgentConfig c = parse("""
                telemetry: {enabled: true, sample_interval: 1s, write_interval: 2m, max_file_size: 1MiB, keep: 3}
                evidence:
                  dir: /data/evidence
                  key: /data/key.pem
                  max_pack_size: 1MiB
                  max_total_size: 10MiB
                  keep: 7
                  schedule: null
                  min_interval: 1m
                  metrics_window: 5m
                  log_tail: 16KiB
                """);
        assertEquals(new TelemetryConfig(true, Duration.ofSeconds(1), Duration.ofMinutes(2), 1 << 20, 3), c.telemetry());
        assertEquals(new EvidenceConfig(true, Path.of("/data/evidence"), Path.of("/data/key.pem"), 1 << 20, 10 << 20, 7,
                Optional.empty(), Duration.ofMinutes(1), Duration.ofMinutes(5), 16 << 10), c.evidence());
    }

    @Test
    void aWriteIntervalShorterThanTheSampleIntervalIsRejectedWithFileLineAndKey() {
        assertProblem("telemetry:\n  sample_interval: 2m\n  write_interval: 1m\n", "agent.yaml:9: telemetry.write_interval:",
                "must be at least sample_interval");
    }

    @Test
    void aMistypedIntervalNamesItsKeyPath() {
        assertProblem("telemetry: {sample_interval: 10}\n", "agent.yaml:7: telemetry.sample_interval:",
                "missing unit");
        assertProblem("evidence: {max_pack_size: 4MB}\n", "agent.yaml:7: evidence.max_pack_size:",
                "binary units");
        assertProblem("evidence: {colour: red}\n", "agent.yaml:7: evidence.colour:", "unknown key");
    }

    @Test
    void aSecretTooShortToRedactIsRejectedWithoutShowingIt() {
        ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader().parse("agent.yaml",
                BASE + "    env: {PIN: {value: \"x7q\", secret: true}}\n"));
        assertTrue(e.getMessage().contains("services[0].env.PIN.value: expected a secret of at least 4"), e.getMessage());
        assertFalse(e.getMessage().contains("x7q"));
    }
}
