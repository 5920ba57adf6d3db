package io.waveos.agent.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.config.ConfigException;
import io.waveos.agent.config.ReadinessConfig;
import io.waveos.agent.config.RestartConfig;
import io.waveos.agent.config.ServiceConfig;
import io.waveos.agent.config.StopConfig;
import io.waveos.agent.evidence.IncidentKind;
import io.waveos.agent.mode.Mode;
import io.waveos.agent.supervision.RunFilter;
import io.waveos.agent.telemetry.EventCode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each kind of action, in virtual time. */
class ActionsTest {
    static final String BREAKER = "policy_version: 1\nrules:\n  - id: storm\n"
            + "    when: {count: {event: service.exited, within: 1m, at_least: 3}}\n"
            + "    breaker: {mode: safe, probe_after: 5m, close_after: 10m}\n";

    static void exits(EngineDriver d, double from, int n) {
        for (int i = 0; i < n; i++) {
            d.at(from + i).event(EventCode.SERVICE_EXITED, "modem");
        }
    }

    @Test
    void breakerTripsIntoItsModeProbesHalfOpenAndClosesAfterAQuietPeriod() throws ConfigException {
        EngineDriver d = new EngineDriver(BREAKER);
        exits(d, 0, 3);
        assertEquals(List.of("storm breaker_trip fired"), d.decisions());
        assertEquals(List.of("OrderMode", "Report"), d.enforced());
        PolicyCommand.OrderMode order = (PolicyCommand.OrderMode) d.commands.get(1);
        assertEquals(Mode.SAFE, order.order().target());
        assertEquals(Duration.ofMinutes(5), order.order().minDuration());
        assertEquals(IncidentKind.BREAKER_TRIP, ((PolicyCommand.Report) d.commands.get(2)).incident().kind());
        d.at(200).event(EventCode.AGENT_STARTED, "agent");
        assertEquals(1, d.decisions().size(), "still open before probe_after");
        d.at(302).event(EventCode.AGENT_STARTED, "agent");
        assertEquals("storm breaker_half_open fired", d.decisions().get(1));
        d.at(302 + 599).event(EventCode.AGENT_STARTED, "agent");
        assertEquals(2, d.decisions().size(), "closes only after 10 quiet minutes (hysteresis)");
        d.at(302 + 600).event(EventCode.AGENT_STARTED, "agent");
        assertEquals("storm breaker_close fired", d.decisions().get(2));
    }

    @Test
    void aHalfOpenBreakerTripsAgainWhenTheConditionReturns() throws ConfigException {
        EngineDriver d = new EngineDriver(BREAKER);
        exits(d, 0, 3);
        d.at(302).event(EventCode.AGENT_STARTED, "agent");
        exits(d, 400, 3);
        assertEquals(List.of("storm breaker_trip fired", "storm breaker_half_open fired", "storm breaker_trip fired"),
                d.decisions());
        assertEquals("half_open", d.decisionEvents().get(2).fields().get("from"));
        assertEquals(List.of("OrderMode", "Report", "OrderMode", "Report"), d.enforced());
    }

    @Test
    void aShadowBreakerWalksItsStatesWithoutOrderingAMode() throws ConfigException {
        EngineDriver d = new EngineDriver(BREAKER.replace("  - id: storm\n", "  - id: storm\n    shadow: true\n"));
        exits(d, 0, 3);
        d.at(302).event(EventCode.AGENT_STARTED, "agent");
        assertEquals(List.of("storm breaker_trip shadowed", "storm breaker_half_open shadowed"), d.decisions());
        assertEquals(List.of(), d.enforced());
    }

    @Test
    void restartLimitHoldsTheFourthRestartInAnHourUntilTheFirstLeavesTheWindow() throws ConfigException {
        EngineDriver d = new EngineDriver("policy_version: 1\nrules:\n  - id: modem-restarts\n"
                + "    restart_limit: {service: modem, max: 3, per: 1h}\n");
        Duration b = Duration.ofSeconds(1);
        assertEquals(b, d.at(0).restart("modem", b));
        assertEquals(b, d.at(600).restart("modem", b));
        assertEquals(b, d.at(1200).restart("web", b));
        assertEquals(b, d.at(1200).restart("modem", b));
        assertEquals(List.of(), d.decisions());
        Duration held = d.at(1800).restart("modem", b);
        assertEquals(Duration.ofSeconds(3601 - 1800), held, "the first restart (at 1 s) leaves the hour at 3601 s");
        assertEquals(List.of("modem-restarts restart_hold fired"), d.decisions());
        assertEquals(1800_000L, d.decisionEvents().get(0).fields().get("held_ms"));
        assertEquals(Duration.ofSeconds(601 + 3600 - 3601), d.at(3601).restart("modem", b).plusSeconds(0),
                "the next is held until the restart at 601 s leaves the hour");
    }

    @Test
    void aShadowRestartLimitLogsTheHoldAndLetsTheRestartHappen() throws ConfigException {
        EngineDriver d = new EngineDriver("policy_version: 1\nrules:\n  - id: lim\n    shadow: true\n"
                + "    restart_limit: {service: modem, max: 1, per: 1h}\n");
        Duration b = Duration.ofSeconds(1);
        d.at(0).restart("modem", b);
        assertEquals(b, d.at(10).restart("modem", b));
        assertEquals(List.of("lim restart_hold shadowed"), d.decisions());
    }

    static final String BUDGET = "policy_version: 1\nrules:\n  - id: web-budget\n"
            + "    budget: {service: web, memory: 100MiB, cpu: 300, warn_after: 5s, throttle_after: 10s, restart_after: 60s}\n";

    @Test
    void cpuBudgetWarnsThenThrottlesThenRestarts() throws ConfigException {
        EngineDriver d = new EngineDriver(BUDGET);
        for (int t = 0; t <= 60; t += 5) {
            d.at(t).sample("service:web:cpu_permille", 1000, "service:web:rss_bytes", 1 << 20);
        }
        assertEquals(List.of("web-budget budget_warn fired", "web-budget budget_throttle fired",
                "web-budget budget_restart fired"), d.decisions());
        assertEquals(List.of("Throttle", "Unthrottle", "Restart"), d.enforced());
        PolicyCommand.Throttle t = (PolicyCommand.Throttle) d.commands.stream()
                .filter(c -> c instanceof PolicyCommand.Throttle).findFirst().orElseThrow();
        assertEquals(0.27, t.runFraction(), 1e-9, "0.9 x 300 / 1000");
    }

    @Test
    void memoryOverBudgetIsNotThrottledButRestarted() throws ConfigException {
        EngineDriver d = new EngineDriver(BUDGET);
        for (int t = 0; t <= 60; t += 5) {
            d.at(t).sample("service:web:cpu_permille", 10, "service:web:rss_bytes", 200 << 20);
        }
        assertEquals(List.of("web-budget budget_warn fired", "web-budget budget_restart fired"), d.decisions());
        assertEquals(List.of("Restart"), d.enforced());
    }

    @Test
    void aThrottleIsReleasedAfterStayingWithinBudget() throws ConfigException {
        EngineDriver d = new EngineDriver(BUDGET);
        for (int t = 0; t <= 10; t += 5) {
            d.at(t).sample("service:web:cpu_permille", 1000);
        }
        d.at(15).sample("service:web:cpu_permille", 250);
        d.at(24).sample("service:web:cpu_permille", 250);
        assertEquals(List.of("Throttle"), d.enforced());
        d.at(25).sample("service:web:cpu_permille", 250);
        assertEquals(List.of("Throttle", "Unthrottle"), d.enforced());
        assertEquals("web-budget budget_release fired", d.decisions().get(d.decisions().size() - 1));
    }

    @Test
    void aServiceThatStoppedResetsItsBudgetLadder() throws ConfigException {
        EngineDriver d = new EngineDriver(BUDGET);
        d.at(0).sample("service:web:rss_bytes", 200 << 20);
        d.at(4).sample("system::cpu_permille", 1);
        d.at(6).sample("service:web:rss_bytes", 200 << 20);
        d.at(10).sample("service:web:rss_bytes", 200 << 20);
        assertEquals(List.of(), d.decisions(), "over since 6 s only: not yet 5 s");
        d.at(11).sample("service:web:rss_bytes", 200 << 20);
        assertEquals(List.of("web-budget budget_warn fired"), d.decisions());
    }

    @Test
    void aNewProcessGetsItsPriorityCapAndBudgetPlacement() throws ConfigException {
        EngineDriver d = new EngineDriver("policy_version: 1\nrules:\n"
                + "  - {id: cap, priority: {service: logger, nice: 10, io: best_effort, io_level: 7}}\n"
                + "  - {id: bud, budget: {service: logger, memory: 1MiB}}\n"
                + "  - {id: other, shadow: true, priority: {service: web, nice: 5}}\n");
        List<PolicyCommand> out = d.engine.onProcessStarted("logger");
        assertTrue(out.get(1) instanceof PolicyCommand.SetPriority);
        assertTrue(out.get(2) instanceof PolicyCommand.PlaceInBudget);
        assertTrue(((PolicyCommand.Emit) out.get(0)).event().reason().contains("nice 10 io best_effort 7"));
        List<PolicyCommand> shadowed = d.engine.onProcessStarted("web");
        assertEquals(1, shadowed.size());
        assertEquals("shadowed", ((PolicyCommand.Emit) shadowed.get(0)).event().fields().get("outcome"));
    }

    static ServiceConfig service(String name, boolean essential, boolean safe) {
        return new ServiceConfig(name, List.of("/bin/true"), Map.of(), Optional.empty(), Optional.empty(),
                Optional.empty(), essential, safe, List.of(), ReadinessConfig.started(), StopConfig.defaults(),
                RestartConfig.defaults());
    }

    @Test
    void allowedModesDecidesWhatRunsInDegradedAndSafe() throws ConfigException {
        EngineDriver d = new EngineDriver("policy_version: 1\nrules:\n"
                + "  - {id: modes, allowed_modes: {degraded: [modem], safe: [web]}}\n");
        RunFilter f = d.engine.runFilter().orElseThrow();
        ServiceConfig core = service("core", true, false);
        ServiceConfig modem = service("modem", false, false);
        ServiceConfig web = service("web", false, false);
        ServiceConfig ui = service("ui", false, true);
        assertTrue(f.mayRun(web, false, false));
        assertTrue(f.mayRun(core, false, true) && f.mayRun(modem, false, true));
        assertFalse(f.mayRun(web, false, true));
        assertTrue(f.mayRun(core, true, false) && f.mayRun(web, true, false) && f.mayRun(ui, true, false));
        assertFalse(f.mayRun(modem, true, false));
        d.event(EventCode.MODE_CHANGED, "mode", "from", "NORMAL", "to", "DEGRADED");
        assertEquals(List.of("modes allowed_modes fired"), d.decisions());
    }

    @Test
    void aShadowAllowedModesRuleChangesNothing() throws ConfigException {
        EngineDriver d = new EngineDriver("policy_version: 1\nrules:\n"
                + "  - {id: modes, shadow: true, allowed_modes: {degraded: [modem]}}\n");
        assertTrue(d.engine.runFilter().isEmpty());
        d.event(EventCode.MODE_CHANGED, "mode", "from", "NORMAL", "to", "DEGRADED");
        assertEquals(List.of("modes allowed_modes shadowed"), d.decisions());
    }
}
