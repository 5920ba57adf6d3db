package io.waveos.agent;

import static io.waveos.agent.TestConfigs.MODES;
import static io.waveos.agent.TestConfigs.agent;
import static io.waveos.agent.TestConfigs.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.config.EscalationConfig;
import io.waveos.agent.mode.Mode;
import io.waveos.agent.platform.fake.FakeApprovals;
import io.waveos.agent.platform.fake.FakeSafeModeLine;
import io.waveos.agent.telemetry.EventCode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Guardian's safe-mode GPIO line, polled from the loop once a second, in virtual time. */
class SafeModeLineTest {
    final FakeApprovals guardian = new FakeApprovals();
    final FakeSafeModeLine line = new FakeSafeModeLine();

    private AgentHarness harness() {
        AgentHarness h = new AgentHarness(agent(EscalationConfig.defaults(), MODES, service("plc").allowedInSafeMode(),
                service("web")), guardian);
        h.agent.attachSafeModeLine(line);
        return h;
    }

    @Test
    void aLineAssertedAtStartPutsTheDeviceInSafeBeforeServicesStart() {
        AgentHarness h = harness();
        line.set(true);

        h.start();

        assertEquals(Mode.SAFE, h.agent.mode());
        assertEquals(0, h.launcher.launchCount("web"), "web started before the line was read");
        assertTrue(h.launcher.isRunning("plc"));
        assertTrue(h.last(EventCode.MODE_CHANGED).reason().contains("guardian safe-mode line asserted"),
                h.last(EventCode.MODE_CHANGED).reason());
        assertEquals("guardian safe-mode line asserted", h.eventsWith(EventCode.COMPANION_SAFE_LINE).get(0).reason());
    }

    @Test
    void aLineAssertedAtRunTimeEntersSafeWithinOnePoll() {
        AgentHarness h = harness();
        h.start();
        assertTrue(h.launcher.isRunning("web"));

        line.set(true);
        h.advance(Duration.ofMillis(999));
        assertEquals(Mode.NORMAL, h.agent.mode(), "read before its poll");
        h.advance(Duration.ofMillis(1));

        assertEquals(Mode.SAFE, h.agent.mode());
        assertFalse(h.launcher.isRunning("web"));
        List<String> codes = h.codes();
        assertTrue(codes.indexOf("companion.safe_mode_line") < codes.indexOf("mode.changed"), codes.toString());
    }

    @Test
    void safeIsHeldWhileTheLineStaysAssertedEvenPastTheStablePeriod() {
        AgentHarness h = harness();
        h.start();
        line.set(true);
        h.advance(Duration.ofMinutes(25));

        h.loop.submit(new LoopEvent.OperatorClear("alice"));

        assertEquals(Mode.SAFE, h.agent.mode());
        assertEquals(List.of(), guardian.asked(), "leaving SAFE was asked while the line was asserted");
        assertTrue(h.last(EventCode.COMPANION_SAFE_LINE).reason().contains("operator alice cannot clear SAFE"),
                h.last(EventCode.COMPANION_SAFE_LINE).reason());
    }

    @Test
    void releasingTheLineDoesNotLeaveSafeByItself() {
        AgentHarness h = harness();
        h.start();
        line.set(true);
        h.advance(Duration.ofSeconds(5));

        line.set(false);
        h.advance(Duration.ofSeconds(5));
        assertEquals(Mode.SAFE, h.agent.mode());
        assertEquals(List.of(), guardian.asked());
        assertTrue(h.last(EventCode.COMPANION_SAFE_LINE).reason().contains("released"));

        h.loop.submit(new LoopEvent.OperatorClear("alice"));
        assertEquals(List.of("SAFE_MODE_EXIT: operator alice cleared SAFE"), guardian.asked());
        assertEquals(Mode.NORMAL, h.agent.mode(), "the usual rule: operator clear, approved by the Guardian");
        assertTrue(h.launcher.isRunning("web"));
    }

    @Test
    void anUnreadableLineKeepsItsStateAndIsReportedOnce() {
        AgentHarness h = harness();
        h.start();
        line.failWith("pin 27: I/O error");
        h.advance(Duration.ofSeconds(5));

        assertEquals(Mode.NORMAL, h.agent.mode());
        assertEquals(1, h.eventsWith(EventCode.COMPANION_SAFE_LINE).size(), h.codes().toString());
        assertTrue(h.last(EventCode.COMPANION_SAFE_LINE).reason().contains("pin 27: I/O error"));

        line.recover();
        line.set(true);
        h.advance(Duration.ofSeconds(1));
        assertEquals(Mode.SAFE, h.agent.mode());
        assertTrue(line.reads() >= 7, "polled every second: " + line.reads());
    }
}
