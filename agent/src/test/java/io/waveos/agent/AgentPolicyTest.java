package io.waveos.agent;

import static io.waveos.agent.TestConfigs.MODES;
import static io.waveos.agent.TestConfigs.agent;
import static io.waveos.agent.TestConfigs.fragile;
import static io.waveos.agent.TestConfigs.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.config.AgentConfig;
import io.waveos.agent.config.EscalationConfig;
import io.waveos.agent.config.PolicyConfig;
import io.waveos.agent.evidence.IncidentKind;
import io.waveos.agent.mode.Mode;
import io.waveos.agent.platform.ResourceLimits;
import io.waveos.agent.platform.fake.FakeProcessPriority;
import io.waveos.agent.platform.fake.FakeStorage;
import io.waveos.agent.policy.PolicySource;
import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.EventCode;
import io.waveos.agent.telemetry.MetricKey;
import io.waveos.agent.telemetry.Sample;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The policy wired into the real agent, in virtual time: supervision, modes, reloads. */
class AgentPolicyTest {
    final FakeProcessPriority priority = new FakeProcessPriority();
    final RecordedIncidents incidents = new RecordedIncidents();
    final FakeStorage files = new FakeStorage();
    Optional<Path> activeSlot = Optional.empty();

    AgentPolicy wire(AgentHarness h, PolicyConfig config) {
        PolicySource source = new PolicySource(config, files, component -> activeSlot);
        AgentPolicy p = new AgentPolicy(h.agent, h.time, Optional.of(source), new AgentPolicy.Ports(incidents,
                priority, ResourceLimits.none("test"), h.launcher::signalGroup, h.time,
                step -> h.loop.submit(new LoopEvent.ForPolicy(step))));
        p.load();
        return p;
    }

    AgentPolicy wire(AgentHarness h, String policy) throws IOException {
        write(Path.of("/etc/policy.yaml"), policy);
        return wire(h, new PolicyConfig(Optional.of(Path.of("/etc/policy.yaml")), Optional.empty(), "policy.yaml"));
    }

    void write(Path file, String text) throws IOException {
        files.createDirectories(file.getParent());
        files.writeAtomically(file, text.getBytes(StandardCharsets.UTF_8));
    }

    static AgentConfig config(TestConfigs.Service... services) {
        return agent(EscalationConfig.defaults(), MODES, services);
    }

    @Test
    void restartLimitHoldsTheFourthRestartOfTheHourThroughTheRestartLadder() throws IOException {
        AgentHarness h = new AgentHarness(config(service("modem").backoff(Duration.ZERO, Duration.ZERO, 1.0, 0.0,
                Duration.ofMinutes(1)).intensity(100, Duration.ofHours(1))));
        wire(h, "policy_version: 1\nrules:\n  - {id: modem-restarts, restart_limit: {service: modem, max: 3, per: 1h}}\n");
        h.start();
        for (int i = 0; i < 3; i++) {
            h.crash("modem", 1);
            h.advance(Duration.ofSeconds(1));
            assertTrue(h.launcher.isRunning("modem"), "restart " + (i + 1) + " happens at once");
        }
        h.crash("modem", 1);
        h.advance(Duration.ofSeconds(1));
        assertFalse(h.launcher.isRunning("modem"), "the fourth restart within the hour is held back");
        Event decision = h.last(EventCode.POLICY_DECISION);
        assertEquals("restart_hold", decision.fields().get("action"));
        Event scheduled = h.last(EventCode.RESTART_SCHEDULED);
        assertTrue(scheduled.reason().contains("held back by a policy restart limit"), scheduled.reason());
        assertEquals(3597_000L, scheduled.fields().get("delay_ms"), "until the first restart (at 0 s) is an hour old");
        assertTrue(h.codes().indexOf("policy.decision") < h.codes().lastIndexOf("service.restart_scheduled"));
        h.advance(Duration.ofSeconds(3596));
        assertTrue(h.launcher.isRunning("modem"));
    }

    @Test
    void breakerTripsIntoSafeThroughTheModeMachineAndReportsAnIncident() throws IOException {
        AgentHarness h = new AgentHarness(config(service("web").intensity(100, Duration.ofHours(1)),
                service("plc").essential()));
        wire(h, "policy_version: 2\nrules:\n  - id: storm\n"
                + "    when: {count: {event: service.exited, subject: web, within: 1m, at_least: 3}}\n"
                + "    breaker: {mode: safe, probe_after: 15m, close_after: 10m}\n");
        h.start();
        h.crashRepeatedly("web", 3);
        assertEquals(Mode.SAFE, h.agent.mode());
        assertFalse(h.launcher.isRunning("web"));
        assertTrue(h.launcher.isRunning("plc"));
        assertTrue(h.last(EventCode.MODE_CHANGED).reason().startsWith("policy rule storm: breaker tripped"),
                h.last(EventCode.MODE_CHANGED).reason());
        assertEquals(IncidentKind.BREAKER_TRIP, incidents.recent().get(0).kind());
        h.advance(Duration.ofMinutes(14));
        assertEquals(Mode.SAFE, h.agent.mode(), "at least probe_after (15 min), longer than safe_exit_after (10 min)");
        h.advance(Duration.ofMinutes(2));
        assertEquals(Mode.NORMAL, h.agent.mode());
        assertTrue(h.launcher.isRunning("web"));
    }

    @Test
    void allowedModesStopsWhatMayNotRunInDegradedAndStartsItAgainAfter() throws IOException {
        AgentHarness h = new AgentHarness(config(fragile("web"), service("modem"), service("ui")));
        wire(h, "policy_version: 1\nrules:\n  - {id: modes, allowed_modes: {degraded: [modem]}}\n");
        h.start();
        h.crashRepeatedly("web", 3);
        assertEquals(Mode.DEGRADED, h.agent.mode());
        assertTrue(h.launcher.isRunning("modem"));
        assertFalse(h.launcher.isRunning("ui"));
        assertTrue(h.codesFor("modes").contains("policy.decision"));
        h.advance(Duration.ofMinutes(5));
        assertEquals(Mode.NORMAL, h.agent.mode());
        assertTrue(h.launcher.isRunning("ui"));
    }

    @Test
    void withoutAPolicyDegradedStopsNothingElse() {
        AgentHarness h = new AgentHarness(config(fragile("web"), service("ui")));
        h.start();
        h.crashRepeatedly("web", 3);
        assertEquals(Mode.DEGRADED, h.agent.mode());
        assertTrue(h.launcher.isRunning("ui"));
    }

    @Test
    void aBudgetRestartGoesThroughTheSupervisor() throws IOException {
        AgentHarness h = new AgentHarness(config(service("web")));
        AgentPolicy p = wire(h, "policy_version: 1\nrules:\n"
                + "  - {id: b, budget: {service: web, memory: 1MiB, warn_after: 0s, throttle_after: 0s, restart_after: 10s}}\n");
        h.start();
        long launches = h.launcher.launchCount("web");
        for (int t = 0; t <= 10; t += 5) {
            p.onSample(new Sample(Instant.EPOCH, h.time.nanos(), Map.of(MetricKey.service("web", "rss_bytes"), 5e6)));
            h.advance(Duration.ofSeconds(5));
        }
        assertEquals(launches + 1, h.launcher.launchCount("web"));
        assertTrue(h.launcher.isRunning("web"));
        assertTrue(h.eventsWith(EventCode.SERVICE_STOPPING).get(0).reason().startsWith("policy rule b:"));
    }

    @Test
    void priorityCapsEveryNewProcessAndAFailureIsAnEvent() throws IOException {
        AgentHarness h = new AgentHarness(config(service("logger")));
        wire(h, "policy_version: 1\nrules:\n  - {id: cap, priority: {service: logger, nice: 10, io: idle}}\n");
        h.start();
        assertEquals(2, priority.calls.size(), priority.calls.toString());
        assertTrue(priority.calls.get(0).endsWith(" 10") && priority.calls.get(1).contains("IDLE"));
        h.crash("logger", 1);
        h.advance(Duration.ofSeconds(1));
        assertEquals(4, priority.calls.size(), "the restarted process is capped too");
        priority.refuse();
        h.crash("logger", 1);
        h.advance(Duration.ofSeconds(1));
        assertTrue(h.last(EventCode.POLICY_ACTION_FAILED).reason().contains("EPERM"));
    }

    @Test
    void aCommittedConfigBundleBringsANewPolicyAndABadOneIsRefusedKeepingTheOld() throws IOException {
        AgentHarness h = new AgentHarness(config(service("web")));
        write(Path.of("/etc/policy.yaml"), "policy_version: 1\nrules: []\n");
        AgentPolicy p = wire(h, new PolicyConfig(Optional.of(Path.of("/etc/policy.yaml")), Optional.of("site-policy"),
                "policy.yaml"));
        h.start();
        assertEquals(1, p.policy().version());
        write(Path.of("/slots/site-policy/a/policy.yaml"), "policy_version: 2\nrules: []\n");
        activeSlot = Optional.of(Path.of("/slots/site-policy/a"));
        h.agent.sink().emit(Event.of(EventCode.UPDATE_COMMITTED, "other", "committed"));
        assertEquals(1, p.policy().version(), "another component's commit changes nothing");
        h.agent.sink().emit(Event.of(EventCode.UPDATE_COMMITTED, "site-policy", "committed"));
        assertEquals(2, p.policy().version());
        assertEquals(2, h.last(EventCode.POLICY_LOADED).fields().get("policy_version"));
        write(Path.of("/slots/site-policy/b/policy.yaml"), "policy_version: 3\nrules:\n  - id: x\n    notify:\n");
        activeSlot = Optional.of(Path.of("/slots/site-policy/b"));
        h.agent.sink().emit(Event.of(EventCode.UPDATE_COMMITTED, "site-policy", "committed"));
        assertEquals(2, p.policy().version(), "the refused policy leaves version 2 in force");
        Event rejected = h.last(EventCode.POLICY_REJECTED);
        assertTrue(rejected.reason().contains("/slots/site-policy/b/policy.yaml:3:"), rejected.reason());
        assertEquals(3, rejected.fields().get("first_line"));
    }

    @Test
    void everyDecisionOfTheRunIsAnEventWithRuleInputsAndOutcome() throws IOException {
        AgentHarness h = new AgentHarness(config(service("web").intensity(100, Duration.ofHours(1))));
        wire(h, "policy_version: 1\nrules:\n  - id: exits\n    shadow: true\n"
                + "    when: {count: {event: service.exited, within: 1m, at_least: 2}}\n    notify: {services: [web]}\n");
        h.start();
        h.crashRepeatedly("web", 2);
        Event d = h.last(EventCode.POLICY_DECISION);
        assertEquals(List.of("rule", "action", "outcome", "inputs", "services", "policy_version"),
                List.copyOf(d.fields().keySet()));
        assertEquals("shadowed", d.fields().get("outcome"));
        assertTrue(((String) d.fields().get("inputs")).startsWith("service.exited: at least 2 within 60s"));
        assertTrue(incidents.recent().isEmpty(), "a shadowed notify reports no incident");
    }
}
