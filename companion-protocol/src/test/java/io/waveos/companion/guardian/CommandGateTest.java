package io.waveos.companion.guardian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.companion.proto.AgentMode;
import io.waveos.companion.proto.CommandKind;
import io.waveos.companion.proto.CommandRequest;
import io.waveos.companion.proto.DecisionReason;
import io.waveos.companion.proto.HealthReport;
import io.waveos.companion.proto.Heartbeat;
import io.waveos.companion.proto.ModeReport;
import io.waveos.companion.proto.Risk;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class CommandGateTest {
    private static final long S = 1_000_000_000L;
    private static final DenyPattern BAD_BUNDLE = new DenyPattern("bad-bundle",
            Optional.of(CommandKind.COMMAND_KIND_INSTALL), "bundle", Pattern.compile("2\\.3\\.[01]"),
            "bricks rev-B boards");
    private static final DenyPattern NO_TEST_CHANNEL = new DenyPattern("no-test-channel", Optional.empty(),
            "channel", Pattern.compile("test.*"), "");

    private final DeviceHealth health = new DeviceHealth();
    private int ids;

    private CommandRequest request(CommandKind kind, Risk risk, Map<String, String> parameters) {
        return CommandRequest.newBuilder().setId("r-" + ++ids).setKind(kind).setRisk(risk)
                .putAllParameters(parameters).build();
    }

    private CommandRequest request(CommandKind kind, Risk risk) {
        return request(kind, risk, Map.of());
    }

    private static CommandGate gate(DenyPattern... patterns) {
        return new CommandGate(GateConfig.DEFAULT.withDenyPatterns(List.of(patterns)));
    }

    private GateDecision decide(CommandGate gate, CommandRequest request, long now) {
        return gate.decide(request, now, health, OptionalLong.empty()).decision();
    }

    private static void assertDecision(GateDecision d, boolean approve, DecisionReason reason, String rule) {
        assertEquals(approve, d.approve(), d.toString());
        assertEquals(reason, d.reason(), d.toString());
        assertEquals(rule, d.rule(), d.toString());
    }

    private void reportHealth(long now, long usedBytes, int errorsPerMin, int milliCelsius) {
        health.onHealthReport(now, HealthReport.newBuilder().setMemoryUsedBytes(usedBytes)
                .setMemoryTotalBytes(1000).setErrorRatePerMin(errorsPerMin)
                .setTemperatureMillicelsius(milliCelsius).build());
    }

    private void heartbeat(long now, AgentMode mode, boolean loopHealthy) {
        health.onHeartbeat(now, Heartbeat.newBuilder().setMode(mode).setLoopHealthy(loopHealthy).build());
    }

    @Test
    void approvesWhatNoRuleObjectsToNamingTheDefaultRule() {
        GateDecision d = decide(gate(BAD_BUNDLE), request(CommandKind.COMMAND_KIND_INSTALL, Risk.RISK_HIGH,
                Map.of("bundle", "2.4.0")), 0);
        assertDecision(d, true, DecisionReason.DECISION_REASON_ALLOWED, CommandGate.RULE_DEFAULT);
        assertEquals(d.requestId(), d.toProto().getRequestId());
        assertEquals(CommandGate.RULE_DEFAULT, d.toProto().getRule());
    }

    @Test
    void deniesAnUnspecifiedOrUnknownCommandKind() {
        CommandGate gate = gate();
        assertDecision(decide(gate, request(CommandKind.COMMAND_KIND_UNSPECIFIED, Risk.RISK_LOW), 0), false,
                DecisionReason.DECISION_REASON_UNSUPPORTED_KIND, CommandGate.RULE_UNSUPPORTED_KIND);
        CommandRequest future = CommandRequest.newBuilder().setId("future").setKindValue(42).build();
        GateDecision d = decide(gate, future, 0);
        assertDecision(d, false, DecisionReason.DECISION_REASON_UNSUPPORTED_KIND, CommandGate.RULE_UNSUPPORTED_KIND);
        assertTrue(d.text().contains("42"), d.text());
    }

    @Test
    void deniesAKnownBadPatternNamingThePatternAndWhy() {
        GateDecision d = decide(gate(BAD_BUNDLE), request(CommandKind.COMMAND_KIND_INSTALL, Risk.RISK_LOW,
                Map.of("bundle", "2.3.1")), 0);
        assertDecision(d, false, DecisionReason.DECISION_REASON_KNOWN_BAD_PATTERN, "deny-pattern:bad-bundle");
        assertEquals("INSTALL with bundle=2.3.1 is a known-bad pattern: bricks rev-B boards", d.text());
    }

    @Test
    void aPatternMustMatchTheWholeParameterValue() {
        CommandGate gate = gate(BAD_BUNDLE);
        for (String bundle : List.of("2.3.10", "12.3.1", "2.3.1-rc1", "")) {
            assertTrue(decide(gate, request(CommandKind.COMMAND_KIND_INSTALL, Risk.RISK_LOW,
                    Map.of("bundle", bundle)), 0).approve(), bundle);
        }
    }

    @Test
    void aPatternAppliesOnlyToItsKindAndOnlyWhenTheParameterIsPresent() {
        CommandGate gate = gate(BAD_BUNDLE);
        assertTrue(decide(gate, request(CommandKind.COMMAND_KIND_COMMIT, Risk.RISK_LOW,
                Map.of("bundle", "2.3.1")), 0).approve(), "COMMIT is not INSTALL");
        assertTrue(decide(gate, request(CommandKind.COMMAND_KIND_INSTALL, Risk.RISK_LOW,
                Map.of("version", "2.3.1")), 0).approve(), "no bundle parameter");
    }

    @Test
    void aPatternForAnyKindAppliesToEveryKind() {
        CommandGate gate = gate(BAD_BUNDLE, NO_TEST_CHANNEL);
        for (CommandKind kind : List.of(CommandKind.COMMAND_KIND_COMMIT, CommandKind.COMMAND_KIND_POLICY_CHANGE,
                CommandKind.COMMAND_KIND_CUSTOM)) {
            GateDecision d = decide(gate, request(kind, Risk.RISK_LOW, Map.of("channel", "testing")), 0);
            assertDecision(d, false, DecisionReason.DECISION_REASON_KNOWN_BAD_PATTERN, "deny-pattern:no-test-channel");
            assertFalse(d.text().endsWith(": "), "no empty why: " + d.text());
        }
    }

    @Test
    void theFirstMatchingPatternDecides() {
        GateDecision d = decide(gate(BAD_BUNDLE, NO_TEST_CHANNEL), request(CommandKind.COMMAND_KIND_INSTALL,
                Risk.RISK_LOW, Map.of("bundle", "2.3.0", "channel", "test")), 0);
        assertEquals("deny-pattern:bad-bundle", d.rule());
    }

    @Test
    void deniesLeavingSafeModeWhileTheGuardiansOrderIsInForce() {
        CommandGate gate = gate();
        OptionalLong until = OptionalLong.of(600 * S);
        GateDecision d = gate.decide(request(CommandKind.COMMAND_KIND_SAFE_MODE_EXIT, Risk.RISK_LOW), 599 * S,
                health, until).decision();
        assertDecision(d, false, DecisionReason.DECISION_REASON_SAFE_MODE_ORDERED, CommandGate.RULE_SAFE_MODE_ORDER);
        assertTrue(d.text().contains("ends in 1 s"), d.text());

        assertTrue(gate.decide(request(CommandKind.COMMAND_KIND_SAFE_MODE_EXIT, Risk.RISK_LOW), 600 * S, health,
                until).decision().approve(), "approved once the minimum duration has passed");
        assertTrue(gate.decide(request(CommandKind.COMMAND_KIND_COMMIT, Risk.RISK_LOW), 10 * S, health,
                until).decision().approve(), "the order only concerns leaving SAFE");
    }

    @Test
    void deniesRiskyKindsWhileTheDeviceIsInSafeMode() {
        CommandGate gate = gate();
        heartbeat(0, AgentMode.AGENT_MODE_SAFE, true);
        for (CommandKind kind : GateConfig.DEFAULT_RISKY_KINDS) {
            GateDecision d = decide(gate, request(kind, Risk.RISK_LOW), S);
            assertDecision(d, false, DecisionReason.DECISION_REASON_HEALTH_DEGRADED, CommandGate.RULE_DEGRADED);
            assertTrue(d.text().contains("device reports mode AGENT_MODE_SAFE"), d.text());
        }
    }

    @Test
    void deniesAHighRiskCommandOfAnyKindWhileDegradedButApprovesALowRiskOne() {
        CommandGate gate = gate();
        heartbeat(0, AgentMode.AGENT_MODE_SAFE, true);
        assertDecision(decide(gate, request(CommandKind.COMMAND_KIND_CUSTOM, Risk.RISK_HIGH), S), false,
                DecisionReason.DECISION_REASON_HEALTH_DEGRADED, CommandGate.RULE_DEGRADED);
        assertDecision(decide(gate, request(CommandKind.COMMAND_KIND_CUSTOM, Risk.RISK_MEDIUM), S), true,
                DecisionReason.DECISION_REASON_ALLOWED, CommandGate.RULE_DEFAULT);
    }

    @Test
    void countsAModeReportAsWellAsHeartbeats() {
        CommandGate gate = gate();
        heartbeat(0, AgentMode.AGENT_MODE_NORMAL, true);
        health.onModeReport(S, ModeReport.newBuilder().setMode(AgentMode.AGENT_MODE_SAFE).setReason("x").build());
        assertFalse(decide(gate, request(CommandKind.COMMAND_KIND_REBOOT, Risk.RISK_LOW), 2 * S).approve());
    }

    @Test
    void deniesRiskyCommandsWhenMemoryErrorsOrTemperatureAreAboveTheirLimits() {
        record Case(long usedBytes, int errors, int milliCelsius, String expected) {
        }
        for (Case c : List.of(new Case(901, 0, 40_000, "memory_used_ratio 0.901 > 0.900"),
                new Case(100, 61, 40_000, "error_rate_per_min 61 > 60"),
                new Case(100, 0, 85_001, "temperature_millicelsius 85001 > 85000"))) {
            DeviceHealth fresh = new DeviceHealth();
            fresh.onHealthReport(0, HealthReport.newBuilder().setMemoryUsedBytes(c.usedBytes())
                    .setMemoryTotalBytes(1000).setErrorRatePerMin(c.errors())
                    .setTemperatureMillicelsius(c.milliCelsius()).build());
            GateDecision d = gate().decide(request(CommandKind.COMMAND_KIND_INSTALL, Risk.RISK_LOW), S, fresh,
                    OptionalLong.empty()).decision();
            assertDecision(d, false, DecisionReason.DECISION_REASON_HEALTH_DEGRADED, CommandGate.RULE_DEGRADED);
            assertTrue(d.text().endsWith(c.expected()), d.text());
        }
    }

    @Test
    void approvesRiskyCommandsWhenHealthIsAtItsLimits() {
        reportHealth(0, 900, 60, 85_000);
        heartbeat(0, AgentMode.AGENT_MODE_DEGRADED, true);
        assertTrue(decide(gate(), request(CommandKind.COMMAND_KIND_INSTALL, Risk.RISK_HIGH), S).approve());
    }

    @Test
    void deniesRiskyCommandsWhileTheDeviceReportsAnUnhealthyLoop() {
        heartbeat(0, AgentMode.AGENT_MODE_NORMAL, false);
        GateDecision d = decide(gate(), request(CommandKind.COMMAND_KIND_WATCHDOG_DISARM, Risk.RISK_LOW), S);
        assertDecision(d, false, DecisionReason.DECISION_REASON_HEALTH_DEGRADED, CommandGate.RULE_DEGRADED);
        assertTrue(d.text().contains("event loop unhealthy"), d.text());
    }

    @Test
    void ignoresHealthOlderThanTheMaximumAge() {
        reportHealth(0, 990, 500, 99_000);
        heartbeat(0, AgentMode.AGENT_MODE_SAFE, false);
        CommandGate gate = gate();
        assertFalse(decide(gate, request(CommandKind.COMMAND_KIND_INSTALL, Risk.RISK_LOW), 60 * S).approve());
        assertTrue(decide(gate, request(CommandKind.COMMAND_KIND_INSTALL, Risk.RISK_LOW), 60 * S + 1).approve(),
                "stale health is unknown, and unknown is not degraded");
    }

    @Test
    void letsADeviceInSafeModeAskToLeaveItUnlessOtherHealthIsDegraded() {
        CommandGate gate = gate();
        heartbeat(0, AgentMode.AGENT_MODE_SAFE, true);
        reportHealth(0, 500, 0, 40_000);
        assertTrue(decide(gate, request(CommandKind.COMMAND_KIND_SAFE_MODE_EXIT, Risk.RISK_HIGH), S).approve());
        reportHealth(2 * S, 950, 0, 40_000);
        GateDecision d = decide(gate, request(CommandKind.COMMAND_KIND_SAFE_MODE_EXIT, Risk.RISK_HIGH), 3 * S);
        assertDecision(d, false, DecisionReason.DECISION_REASON_HEALTH_DEGRADED, CommandGate.RULE_DEGRADED);
    }

    @Test
    void aKnownBadPatternIsNamedEvenWhenHealthIsAlsoDegraded() {
        heartbeat(0, AgentMode.AGENT_MODE_SAFE, true);
        GateDecision d = decide(gate(BAD_BUNDLE), request(CommandKind.COMMAND_KIND_INSTALL, Risk.RISK_HIGH,
                Map.of("bundle", "2.3.0")), S);
        assertEquals("deny-pattern:bad-bundle", d.rule());
    }

    @Test
    void rateLimitsRebootsToTheConfiguredNumberPerWindow() {
        CommandGate gate = gate();
        for (int i = 0; i < 3; i++) {
            assertTrue(decide(gate, request(CommandKind.COMMAND_KIND_REBOOT, Risk.RISK_MEDIUM), i * 60 * S).approve());
        }
        GateDecision fourth = decide(gate, request(CommandKind.COMMAND_KIND_REBOOT, Risk.RISK_MEDIUM), 600 * S);
        assertDecision(fourth, false, DecisionReason.DECISION_REASON_RATE_LIMITED, CommandGate.RULE_REBOOT_RATE);
        assertEquals("3 reboots approved within 1 h (limit 3); next allowed in 50 min", fourth.text());
        assertTrue(decide(gate, request(CommandKind.COMMAND_KIND_INSTALL, Risk.RISK_MEDIUM), 600 * S).approve(),
                "only reboots are rate-limited");

        assertFalse(decide(gate, request(CommandKind.COMMAND_KIND_REBOOT, Risk.RISK_MEDIUM), 3600 * S - 1).approve());
        assertTrue(decide(gate, request(CommandKind.COMMAND_KIND_REBOOT, Risk.RISK_MEDIUM), 3600 * S).approve(),
                "the first reboot left the window");
    }

    @Test
    void deniedRebootsDoNotCountTowardsTheRateLimit() {
        CommandGate gate = gate();
        heartbeat(0, AgentMode.AGENT_MODE_SAFE, true);
        for (int i = 0; i < 5; i++) {
            assertFalse(decide(gate, request(CommandKind.COMMAND_KIND_REBOOT, Risk.RISK_LOW), S).approve());
        }
        heartbeat(2 * S, AgentMode.AGENT_MODE_NORMAL, true);
        for (int i = 0; i < 3; i++) {
            assertTrue(decide(gate, request(CommandKind.COMMAND_KIND_REBOOT, Risk.RISK_LOW), 3 * S).approve());
        }
    }

    @Test
    void aRepeatedRequestIdGetsTheSameDecisionAndIsNotCountedAgain() {
        CommandGate gate = gate();
        CommandRequest reboot = request(CommandKind.COMMAND_KIND_REBOOT, Risk.RISK_LOW);
        CommandGate.Verdict first = gate.decide(reboot, 0, health, OptionalLong.empty());
        heartbeat(S, AgentMode.AGENT_MODE_SAFE, true);
        CommandGate.Verdict again = gate.decide(reboot, 2 * S, health, OptionalLong.empty());
        assertFalse(first.repeated());
        assertTrue(again.repeated());
        assertEquals(first.decision(), again.decision(), "decided once, even though health changed since");

        heartbeat(3 * S, AgentMode.AGENT_MODE_NORMAL, true);
        for (int i = 0; i < 5; i++) {
            gate.decide(reboot, 4 * S, health, OptionalLong.empty());
        }
        assertTrue(decide(gate, request(CommandKind.COMMAND_KIND_REBOOT, Risk.RISK_LOW), 5 * S).approve());
        assertTrue(decide(gate, request(CommandKind.COMMAND_KIND_REBOOT, Risk.RISK_LOW), 5 * S).approve());
        assertFalse(decide(gate, request(CommandKind.COMMAND_KIND_REBOOT, Risk.RISK_LOW), 5 * S).approve(),
                "repeats of the first id did not use up the limit; the fourth distinct reboot is refused");
    }

    @Test
    void forgetsTheOldestDecisionsBeyondItsMemory() {
        CommandGate gate = new CommandGate(new GateConfig(List.of(), GateConfig.DEFAULT_RISKY_KINDS,
                DegradedLimits.DEFAULT, 3, Duration.ofHours(1), 2));
        CommandRequest a = request(CommandKind.COMMAND_KIND_COMMIT, Risk.RISK_LOW);
        gate.decide(a, 0, health, OptionalLong.empty());
        gate.decide(request(CommandKind.COMMAND_KIND_COMMIT, Risk.RISK_LOW), 0, health, OptionalLong.empty());
        gate.decide(request(CommandKind.COMMAND_KIND_COMMIT, Risk.RISK_LOW), 0, health, OptionalLong.empty());
        assertFalse(gate.decide(a, 0, health, OptionalLong.empty()).repeated());
    }

    @Test
    void rejectsInvalidRules() {
        assertThrows(IllegalArgumentException.class, () -> new DenyPattern("has space", Optional.empty(), "p",
                Pattern.compile("x"), ""));
        assertThrows(IllegalArgumentException.class, () -> new DenyPattern("x",
                Optional.of(CommandKind.COMMAND_KIND_UNSPECIFIED), "p", Pattern.compile("x"), ""));
        assertThrows(IllegalArgumentException.class, () -> GateConfig.DEFAULT.withDenyPatterns(
                List.of(BAD_BUNDLE, BAD_BUNDLE)));
        assertThrows(IllegalArgumentException.class, () -> new GateDecision("x", true,
                DecisionReason.DECISION_REASON_RATE_LIMITED, "r", "t"));
    }
}
