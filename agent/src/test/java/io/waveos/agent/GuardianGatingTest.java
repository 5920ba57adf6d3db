package io.waveos.agent;

import static io.waveos.agent.TestConfigs.MODES;
import static io.waveos.agent.TestConfigs.agent;
import static io.waveos.agent.TestConfigs.fragile;
import static io.waveos.agent.TestConfigs.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.config.CompanionConfig.Approval;
import io.waveos.agent.config.EscalationConfig;
import io.waveos.agent.mode.Mode;
import io.waveos.agent.platform.fake.FakeApprovals;
import io.waveos.agent.telemetry.EventCode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** With a Guardian: risky actions wait for its approval; its safe-mode orders go through the mode machine. */
class GuardianGatingTest {
    @Test
    void doesNotRebootWhenTheGuardianDeniesIt() {
        FakeApprovals guardian = new FakeApprovals();
        guardian.answer(Approval.REBOOT, false);
        AgentHarness h = new AgentHarness(agent(EscalationConfig.defaults(), MODES, fragile("plc").essential()),
                guardian);
        h.start();
        h.crashRepeatedly("plc", 6);
        assertEquals(1, guardian.asked().stream().filter(a -> a.startsWith("REBOOT")).count(), guardian.asked().toString());
        assertTrue(h.actions.stream().noneMatch(a -> a.startsWith("reboot") || a.startsWith("intent")), h.actions.toString());
        assertEquals(Mode.SAFE, h.agent.mode());
    }

    @Test
    void rebootsAfterTheGuardianApproves() {
        FakeApprovals guardian = new FakeApprovals();
        AgentHarness h = new AgentHarness(agent(EscalationConfig.defaults(), MODES, fragile("plc").essential()),
                guardian);
        h.start();
        h.crashRepeatedly("plc", 6);
        assertTrue(h.actions.stream().anyMatch(a -> a.startsWith("reboot")), h.actions.toString());
    }

    @Test
    void asksBeforeLeavingSafeAndStaysWhenRefused() {
        FakeApprovals guardian = new FakeApprovals();
        guardian.answer(Approval.SAFE_MODE_EXIT, false);
        AgentHarness h = new AgentHarness(agent(EscalationConfig.defaults(), MODES, fragile("plc").essential(),
                service("web")), guardian);
        h.start();
        h.crashRepeatedly("plc", 3);
        h.advance(Duration.ofMinutes(10));
        assertEquals(Mode.SAFE, h.agent.mode());
        assertEquals(List.of("SAFE_MODE_EXIT: no essential service failed for 600s"), guardian.asked());
        assertFalse(h.launcher.isRunning("web"));
        guardian.answer(Approval.SAFE_MODE_EXIT, true);
        h.advance(Duration.ofMinutes(10));
        assertEquals(Mode.NORMAL, h.agent.mode(), "the stable period was not retried after a refusal");
        assertTrue(h.launcher.isRunning("web"));
    }

    @Test
    void operatorClearAlsoNeedsTheGuardiansApproval() {
        FakeApprovals guardian = new FakeApprovals();
        guardian.hold();
        AgentHarness h = new AgentHarness(agent(EscalationConfig.defaults(), MODES, fragile("plc").essential()),
                guardian);
        h.start();
        h.crashRepeatedly("plc", 3);
        h.loop.submit(new LoopEvent.OperatorClear("alice"));
        h.loop.submit(new LoopEvent.OperatorClear("alice"));
        assertEquals(Mode.SAFE, h.agent.mode(), "left SAFE before the Guardian answered");
        assertEquals(1, guardian.asked().size(), "asked twice for one pending exit: " + guardian.asked());
        guardian.release(true);
        assertEquals(Mode.NORMAL, h.agent.mode());
        assertTrue(h.last(EventCode.MODE_CHANGED).reason().contains("operator alice cleared SAFE"));
    }

    @Test
    void entersSafeModeOnAGuardianOrderAndStaysAtLeastItsMinimumDuration() {
        FakeApprovals guardian = new FakeApprovals();
        AgentHarness h = new AgentHarness(agent(EscalationConfig.defaults(), MODES, service("plc").essential(),
                service("web")), guardian);
        h.start();
        h.agent.guardianOrderedSafe("memory_used_ratio crosses 0.95 in ~40 s", Duration.ofMinutes(30));
        assertEquals(Mode.SAFE, h.agent.mode());
        assertFalse(h.launcher.isRunning("web"));
        assertTrue(h.last(EventCode.MODE_CHANGED).reason().contains("the Guardian ordered SAFE: memory_used_ratio"));
        h.advance(Duration.ofMinutes(29));
        assertEquals(Mode.SAFE, h.agent.mode(), "left SAFE before the order's minimum duration");
        h.advance(Duration.ofMinutes(1));
        assertEquals(Mode.NORMAL, h.agent.mode());
    }

    @Test
    void leavesTheHardwareWatchdogArmedWhenTheGuardianRefusesTheDisarm() {
        FakeApprovals guardian = new FakeApprovals();
        guardian.answer(Approval.WATCHDOG_DISARM, false);
        AgentHarness h = new AgentHarness(agent(service("app")), guardian);
        h.start();
        h.loop.submit(new LoopEvent.Shutdown("SIGTERM"));
        assertFalse(h.actions.contains("disarm"));
        assertTrue(h.actions.contains("finished"));
        assertTrue(h.codes().contains("watchdog.armed"));
    }
}
