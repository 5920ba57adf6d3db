package io.waveos.agent.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.config.ConfigException;
import io.waveos.agent.config.ConfigException.ConfigProblem;
import io.waveos.agent.mode.Mode;
import io.waveos.agent.telemetry.MetricKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PolicyLoaderTest {
    static final String EXAMPLE = """
            policy_version: 3
            rules:
              - id: modem-restarts
                restart_limit: {service: modem, max: 3, per: 1h}
              - id: web-budget
                budget: {service: web, memory: 200MiB, cpu: 500, warn_after: 10s, throttle_after: 30s, restart_after: 2m}
              - id: logger-priority
                priority: {service: logger, nice: 10, io: idle}
              - id: modes
                allowed_modes: {degraded: [modem], safe: [web]}
              - id: crash-storm
                when:
                  any:
                    - count: {event: service.exited, subject: modem, within: 10m, at_least: 5}
                    - rate: {metric: "service:web:restarts_total", window: 10m, per: 1m, above: 2}
                breaker: {mode: safe, probe_after: 5m, close_after: 10m}
              - id: hot
                shadow: true
                when:
                  all:
                    - threshold: {metric: "system::cpu_permille", above: 900, clear: 700, for: 2m}
                    - not: {threshold: {metric: "system::mem_available_bytes", below: 64MiB}}
                notify: {services: [web]}
                limit: {max: 1, per: 1h}
            """;

    static Policy parse(String text) throws ConfigException {
        return new PolicyLoader().parse("policy.yaml", text.getBytes(StandardCharsets.UTF_8));
    }

    static List<ConfigProblem> problems(String text) {
        return assertThrows(ConfigException.class, () -> parse(text)).problems();
    }

    @Test
    void readsEveryKindOfRuleOfTheExample() throws ConfigException {
        Policy p = parse(EXAMPLE);
        assertEquals(3, p.version());
        assertEquals(6, p.rules().size());
        assertEquals(new Action.RestartLimit("modem", 3, Duration.ofHours(1)), p.rules().get(0).action());
        Action.Budget b = (Action.Budget) p.rules().get(1).action();
        assertEquals(Optional.of(200L << 20), b.memoryBytes());
        assertEquals(Optional.of(500), b.cpuPermille());
        assertEquals(Optional.of(Action.IoClass.IDLE), ((Action.PriorityCap) p.rules().get(2).action()).ioClass());
        assertEquals(Optional.of(List.of("modem")), ((Action.AllowedModes) p.rules().get(3).action()).degraded());
        assertEquals(Mode.SAFE, ((Action.Breaker) p.rules().get(4).action()).mode());
        Rule hot = p.rules().get(5);
        assertTrue(hot.shadow());
        Condition.All all = assertInstanceOf(Condition.All.class, hot.when().orElseThrow());
        Condition.Threshold t = (Condition.Threshold) all.of().get(0);
        assertEquals(MetricKey.system("cpu_permille"), t.metric());
        assertEquals(Optional.of(700.0), t.clear());
        assertEquals(Duration.ofMinutes(2), t.holdFor());
        assertEquals(64.0 * (1 << 20), ((Condition.Threshold) ((Condition.Not) all.of().get(1)).of()).level());
        assertEquals(Optional.of(new Rule.FireLimit(1, Duration.ofHours(1))), hot.limit());
    }

    @Test
    void namesFileAndLineOfAnUnknownKey() {
        List<ConfigProblem> p = problems("policy_version: 1\nrules:\n  - id: a\n    notfy: {}\n");
        ConfigProblem unknown = p.stream().filter(x -> x.keyPath().equals("rules[0].notfy")).findFirst().orElseThrow();
        assertEquals("policy.yaml", unknown.file());
        assertEquals(4, unknown.line());
        assertTrue(unknown.message().startsWith("unknown key"), unknown.toString());
        assertTrue(p.toString().contains("policy.yaml:3: rules[0]: expected exactly one action"), p.toString());
    }

    @Test
    void requiresPolicyVersion() {
        List<ConfigProblem> p = problems("rules: []\n");
        assertEquals(1, p.get(0).line());
        assertEquals("policy_version", p.get(0).keyPath());
        assertTrue(p.get(0).message().contains("missing required key"), p.toString());
    }

    @Test
    void refusesABadMetricOnItsLine() {
        List<ConfigProblem> p = problems("policy_version: 1\nrules:\n  - id: a\n    when:\n      threshold:\n"
                + "        metric: cpu\n        above: 1\n    notify:\n");
        assertEquals(6, p.get(0).line());
        assertEquals("rules[0].when.threshold.metric", p.get(0).keyPath());
    }

    @Test
    void refusesAnUnknownEventCode() {
        List<ConfigProblem> p = problems("policy_version: 1\nrules:\n  - id: a\n    when:\n"
                + "      count: {event: service.exploded, within: 1m}\n    notify:\n");
        assertEquals(5, p.get(0).line());
        assertTrue(p.get(0).message().contains("unknown event code"), p.toString());
    }

    @Test
    void refusesANotifyWithoutCondition() {
        List<ConfigProblem> p = problems("policy_version: 1\nrules:\n  - id: a\n    notify:\n");
        assertEquals(3, p.get(0).line());
        assertTrue(p.get(0).message().contains("needs a 'when'"), p.toString());
    }

    @Test
    void refusesAConditionOnAStandingRule() {
        List<ConfigProblem> p = problems("policy_version: 1\nrules:\n  - id: a\n"
                + "    when: {count: {event: service.exited, within: 1m}}\n    restart_limit: {service: m, max: 1, per: 1h}\n");
        assertTrue(p.get(0).message().contains("remove 'when'"), p.toString());
        assertEquals(3, p.get(0).line());
    }

    @Test
    void refusesDuplicateIdsNamingTheFirst() {
        List<ConfigProblem> p = problems("policy_version: 1\nrules:\n"
                + "  - {id: a, restart_limit: {service: m, max: 1, per: 1h}}\n"
                + "  - {id: a, restart_limit: {service: n, max: 1, per: 1h}}\n");
        assertEquals(4, p.get(0).line());
        assertTrue(p.get(0).message().contains("first at line 3"), p.toString());
    }

    @Test
    void refusesTwoActionsInOneRule() {
        List<ConfigProblem> p = problems("policy_version: 1\nrules:\n  - id: a\n"
                + "    restart_limit: {service: m, max: 1, per: 1h}\n    priority: {service: m, nice: 5}\n");
        assertTrue(p.get(0).message().contains("exactly one action"), p.toString());
    }

    @Test
    void refusesABadDurationAndAHysteresisOnTheWrongSide() {
        List<ConfigProblem> p = problems("policy_version: 1\nrules:\n  - id: a\n    when:\n"
                + "      threshold: {metric: 'system::cpu_permille', above: 900, clear: 950, for: 2 minutes}\n"
                + "    notify:\n");
        assertEquals(5, p.get(0).line());
        assertTrue(p.get(0).message().contains("duration"), p.toString());
        p = problems("policy_version: 1\nrules:\n  - id: a\n    when:\n"
                + "      threshold: {metric: 'system::cpu_permille', above: 900, clear: 950}\n    notify:\n");
        assertTrue(p.get(0).message().contains("hysteresis"), p.toString());
    }

    @Test
    void refusesBrokenYamlWithItsLine() {
        List<ConfigProblem> p = problems("policy_version: 1\nrules:\n  - id: [a\n");
        assertTrue(p.get(0).line() >= 3, p.toString());
        assertTrue(p.get(0).message().startsWith("not valid YAML"), p.toString());
    }

    @Test
    void refusesANiceThatWouldRaisePriority() {
        List<ConfigProblem> p = problems("policy_version: 1\nrules:\n  - id: a\n    priority: {service: m, nice: -5}\n");
        assertEquals(4, p.get(0).line());
        assertTrue(p.get(0).message().contains("nice"), p.toString());
    }
}
