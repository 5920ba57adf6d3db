package io.waveos.agent.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.config.ConfigException;
import io.waveos.agent.evidence.IncidentKind;
import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.EventCode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each kind of condition, evaluated in virtual time through a notify rule. */
class ConditionsTest {
    static String notifyWhen(String condition) {
        return "policy_version: 1\nrules:\n  - id: r\n    when: " + condition + "\n    notify: {services: [web]}\n";
    }

    @Test
    void thresholdFiresOnlyAfterHoldingForItsDuration() throws ConfigException {
        EngineDriver d = new EngineDriver(notifyWhen("{threshold: {metric: 'service:web:rss_bytes', above: 100, for: 30s}}"));
        d.at(0).sample("service:web:rss_bytes", 150);
        d.at(20).sample("service:web:rss_bytes", 150);
        assertEquals(List.of(), d.decisions());
        d.at(25).sample("service:web:rss_bytes", 50);
        d.at(40).sample("service:web:rss_bytes", 150);
        d.at(69).sample("service:web:rss_bytes", 150);
        assertEquals(List.of(), d.decisions(), "the dip at 25 s starts the 30 s over");
        d.at(70).sample("service:web:rss_bytes", 150);
        assertEquals(List.of("r notify fired"), d.decisions());
        assertEquals(List.of("Report"), d.enforced());
        Event e = d.decisionEvents().get(0);
        assertTrue(((String) e.fields().get("inputs")).contains("service:web:rss_bytes=150 (above 100 for 30s"),
                e.fields().toString());
        PolicyCommand.Report r = (PolicyCommand.Report) d.commands.get(1);
        assertEquals(IncidentKind.POLICY_NOTIFY, r.incident().kind());
        assertEquals(List.of("web"), r.incident().services());
    }

    @Test
    void aMissingFigureIsNotAThreshold() throws ConfigException {
        EngineDriver d = new EngineDriver(notifyWhen("{threshold: {metric: 'service:web:rss_bytes', below: 100}}"));
        d.at(0).sample("system::cpu_permille", 5);
        assertEquals(List.of(), d.decisions());
        d.at(1).sample("service:web:rss_bytes", 5);
        assertEquals(List.of("r notify fired"), d.decisions());
    }

    @Test
    void hysteresisKeepsAThresholdUntilItsClearLevelAndFiresOncePerRise() throws ConfigException {
        EngineDriver d = new EngineDriver(notifyWhen("{threshold: {metric: 'system::cpu_permille', above: 900, clear: 700}}"));
        d.at(0).sample("system::cpu_permille", 950);
        d.at(1).sample("system::cpu_permille", 800);
        d.at(2).sample("system::cpu_permille", 950);
        assertEquals(1, d.decisions().size(), "800 is above the clear level: still the same episode");
        d.at(3).sample("system::cpu_permille", 650);
        d.at(4).sample("system::cpu_permille", 950);
        assertEquals(2, d.decisions().size(), "below 700 ended it; a new rise fires again");
    }

    @Test
    void rateOfACounterOverAWindow() throws ConfigException {
        EngineDriver d = new EngineDriver(notifyWhen(
                "{rate: {metric: 'service:modem:restarts_total', window: 10m, per: 1m, above: 2}}"));
        d.at(0).sample("service:modem:restarts_total", 0);
        d.at(300).sample("service:modem:restarts_total", 5);
        assertEquals(List.of(), d.decisions(), "5 in 5 minutes is 1 per minute");
        d.at(360).sample("service:modem:restarts_total", 20);
        assertEquals(List.of("r notify fired"), d.decisions(), "20 in 6 minutes is 3.3 per minute");
        assertTrue(((String) d.decisionEvents().get(0).fields().get("inputs")).contains("per 60s over 600s"));
    }

    @Test
    void aCounterThatRestartsCountsFromZero() throws ConfigException {
        EngineDriver d = new EngineDriver(notifyWhen(
                "{rate: {metric: 'agent::x_total', window: 1m, above: 1}}"));
        d.at(0).sample("agent::x_total", 100);
        d.at(10).sample("agent::x_total", 5);
        assertEquals(List.of(), d.decisions(), "a drop is a restart of the counter: 5 in 10 s");
        d.at(20).sample("agent::x_total", 30);
        assertEquals(List.of("r notify fired"), d.decisions(), "30 in 20 s");
    }

    @Test
    void countsExitsOfOneServiceWithinAWindow() throws ConfigException {
        EngineDriver d = new EngineDriver(notifyWhen(
                "{count: {event: service.exited, subject: modem, within: 10m, at_least: 3}}"));
        d.at(0).event(EventCode.SERVICE_EXITED, "modem");
        d.at(100).event(EventCode.SERVICE_EXITED, "web");
        d.at(200).event(EventCode.SERVICE_EXITED, "modem");
        d.at(601).event(EventCode.SERVICE_EXITED, "modem");
        assertEquals(List.of(), d.decisions(), "the first exit left the window at 600 s; web's does not count");
        d.at(700).event(EventCode.SERVICE_EXITED, "modem");
        assertEquals(List.of("r notify fired"), d.decisions());
    }

    @Test
    void combinesWithAllAnyAndNot() throws ConfigException {
        EngineDriver d = new EngineDriver(notifyWhen("{all: [{threshold: {metric: 'system::cpu_permille', above: 900}},"
                + " {not: {any: [{threshold: {metric: 'system::mem_available_bytes', below: 1000}},"
                + " {count: {event: mode.changed, within: 1m}}]}}]}"));
        d.at(0).sample("system::cpu_permille", 950, "system::mem_available_bytes", 500);
        assertEquals(List.of(), d.decisions(), "low memory vetoes it through not(any)");
        d.at(1).sample("system::cpu_permille", 950, "system::mem_available_bytes", 5000);
        assertEquals(List.of("r notify fired"), d.decisions());
        d.at(2).sample("system::cpu_permille", 100, "system::mem_available_bytes", 5000);
        d.at(3).event(EventCode.MODE_CHANGED, "mode", "to", "SAFE");
        d.at(4).sample("system::cpu_permille", 950, "system::mem_available_bytes", 5000);
        assertEquals(1, d.decisions().size(), "a mode change within a minute vetoes it");
        d.at(64).sample("system::cpu_permille", 950, "system::mem_available_bytes", 5000);
        assertEquals(2, d.decisions().size());
    }

    @Test
    void aLimitSuppressesFiringsBeyondItAndSaysSo() throws ConfigException {
        EngineDriver d = new EngineDriver("policy_version: 1\nrules:\n  - id: r\n"
                + "    when: {threshold: {metric: 'system::cpu_permille', above: 900}}\n    notify:\n"
                + "    limit: {max: 1, per: 1h}\n");
        for (int i = 0; i < 3; i++) {
            d.at(i * 10).sample("system::cpu_permille", 950);
            d.at(i * 10 + 5).sample("system::cpu_permille", 100);
        }
        assertEquals(List.of("r notify fired", "r notify suppressed", "r notify suppressed"), d.decisions());
        assertEquals(List.of("Report"), d.enforced());
        d.at(3601).sample("system::cpu_permille", 950);
        assertEquals("r notify fired", d.decisions().get(3));
    }

    @Test
    void aShadowRuleLogsWhatItWouldHaveDoneAndEnforcesNothing() throws ConfigException {
        EngineDriver d = new EngineDriver("policy_version: 1\nrules:\n  - id: r\n    shadow: true\n"
                + "    when: {threshold: {metric: 'system::cpu_permille', above: 900}}\n    notify:\n");
        d.at(0).sample("system::cpu_permille", 950);
        assertEquals(List.of("r notify shadowed"), d.decisions());
        assertEquals(List.of(), d.enforced());
        assertTrue(d.decisionEvents().get(0).reason().startsWith("would have fired (shadow)"));
    }
}
