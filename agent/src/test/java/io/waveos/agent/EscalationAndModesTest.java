package io.waveos.agent;

import static io.waveos.agent.TestConfigs.MODES;
import static io.waveos.agent.TestConfigs.agent;
import static io.waveos.agent.TestConfigs.fragile;
import static io.waveos.agent.TestConfigs.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.config.EscalationConfig;
import io.waveos.agent.mode.Mode;
import io.waveos.agent.supervision.ServiceState;
import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.EventCode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The escalation ladder above restarts: DEGRADED, SAFE, controlled reboot, and the way back. */
class EscalationAndModesTest {
    @Test
    void disablesAnOptionalServiceAndDegradesWhenItExceedsItsIntensity() {
        AgentHarness h = new AgentHarness(agent(EscalationConfig.defaults(), MODES, fragile("web"), service("plc")
                .essential()));
        h.start();
        h.crashRepeatedly("web", 3);
        assertEquals(Mode.DEGRADED, h.agent.mode());
        assertFalse(h.launcher.isRunning("web"));
        assertTrue(h.launcher.isRunning("plc"));
        Event change = h.last(EventCode.MODE_CHANGED);
        assertEquals("NORMAL", change.fields().get("from"));
        assertEquals("DEGRADED", change.fields().get("to"));
        assertTrue(change.reason().contains("web"), change.reason());
        assertEquals(List.of("service.intensity_exceeded", "service.disabled"), h.codesFor("web").subList(
                h.codesFor("web").size() - 2, h.codesFor("web").size()));
    }

    @Test
    void onlyStopsTheServiceWhenOptionalEscalationIsStop() {
        EscalationConfig stopOnly = new EscalationConfig(EscalationConfig.OptionalAction.STOP,
                EscalationConfig.EssentialAction.SAFE_MODE, EscalationConfig.SafeModeAction.REBOOT);
        AgentHarness h = new AgentHarness(agent(stopOnly, MODES, fragile("web")));
        h.start();
        h.crashRepeatedly("web", 3);
        assertEquals(Mode.NORMAL, h.agent.mode());
        assertEquals(ServiceState.DISABLED, h.agent.supervisor().service("web").orElseThrow().state());
    }

    @Test
    void retriesDisabledServicesAndReturnsToNormalAfterTheDegradedPeriod() {
        AgentHarness h = new AgentHarness(agent(EscalationConfig.defaults(), MODES, fragile("web")));
        h.start();
        h.crashRepeatedly("web", 3);
        long launches = h.launcher.launchCount("web");
        h.advance(Duration.ofMinutes(5));
        assertEquals(Mode.NORMAL, h.agent.mode());
        assertEquals(launches + 1, h.launcher.launchCount("web"));
        assertTrue(h.launcher.isRunning("web"));
    }

    @Test
    void entersSafeModeAndStopsNonSafeServicesWhenAnEssentialServiceExceedsItsIntensity() {
        AgentHarness h = new AgentHarness(agent(EscalationConfig.defaults(), MODES, fragile("plc").essential(),
                service("web"), service("logger").allowedInSafeMode()));
        h.start();
        h.crashRepeatedly("plc", 3);
        assertEquals(Mode.SAFE, h.agent.mode());
        assertFalse(h.launcher.isRunning("web"), "a non-safe service still runs in SAFE");
        assertTrue(h.launcher.isRunning("logger"), "a safe-mode service was stopped");
        assertTrue(h.launcher.isRunning("plc"), "the essential service was not retried in SAFE");
        assertTrue(h.codesFor("web").contains("service.stopping"));
        assertTrue(h.last(EventCode.SERVICE_STOPPING).reason().contains("SAFE"));
    }

    @Test
    void recordsTheRebootIntentBeforeRequestingTheRebootWhenEssentialKeepsFailingInSafeMode() {
        AgentHarness h = new AgentHarness(agent(EscalationConfig.defaults(), MODES, fragile("plc").essential()));
        h.start();
        h.crashRepeatedly("plc", 3);
        assertEquals(Mode.SAFE, h.agent.mode());
        h.crashRepeatedly("plc", 3);
        List<String> rebootActions = h.actions.stream().filter(a -> a.startsWith("intent") || a.startsWith("reboot"))
                .toList();
        assertEquals(2, rebootActions.size(), h.actions.toString());
        assertTrue(rebootActions.get(0).startsWith("intent "), "intent must come first: " + rebootActions);
        assertTrue(rebootActions.get(1).startsWith("reboot "));
        int intent = h.codes().indexOf("reboot.intent");
        int requested = h.codes().indexOf("reboot.requested");
        assertTrue(intent >= 0 && intent < requested, h.codes().toString());
    }

    @Test
    void staysInSafeModeWithoutRebootWhenConfiguredToStay() {
        EscalationConfig stay = new EscalationConfig(EscalationConfig.OptionalAction.DEGRADE,
                EscalationConfig.EssentialAction.SAFE_MODE, EscalationConfig.SafeModeAction.STAY);
        AgentHarness h = new AgentHarness(agent(stay, MODES, fragile("plc").essential()));
        h.start();
        h.crashRepeatedly("plc", 6);
        assertEquals(Mode.SAFE, h.agent.mode());
        assertTrue(h.actions.stream().noneMatch(a -> a.startsWith("reboot")));
        assertEquals(ServiceState.DISABLED, h.agent.supervisor().service("plc").orElseThrow().state());
    }

    @Test
    void rebootsAtOnceWhenEssentialEscalationIsReboot() {
        EscalationConfig reboot = new EscalationConfig(EscalationConfig.OptionalAction.DEGRADE,
                EscalationConfig.EssentialAction.REBOOT, EscalationConfig.SafeModeAction.REBOOT);
        AgentHarness h = new AgentHarness(agent(reboot, MODES, fragile("plc").essential()));
        h.start();
        h.crashRepeatedly("plc", 3);
        assertEquals(Mode.NORMAL, h.agent.mode());
        assertTrue(h.actions.stream().anyMatch(a -> a.startsWith("reboot")), h.actions.toString());
    }

    @Test
    void leavesSafeModeAfterTheStablePeriodAndRestartsWhatItStopped() {
        AgentHarness h = new AgentHarness(agent(EscalationConfig.defaults(), MODES, fragile("plc").essential(),
                service("web")));
        h.start();
        h.crashRepeatedly("plc", 3);
        assertEquals(Mode.SAFE, h.agent.mode());
        h.advance(Duration.ofMinutes(9));
        assertEquals(Mode.SAFE, h.agent.mode());
        h.advance(Duration.ofMinutes(1));
        assertEquals(Mode.NORMAL, h.agent.mode());
        assertTrue(h.launcher.isRunning("web"));
        assertTrue(h.last(EventCode.MODE_CHANGED).reason().contains("no essential service failed"));
    }

    @Test
    void restartsTheSafeStablePeriodWhenAnEssentialServiceExitsInSafeMode() {
        AgentHarness h = new AgentHarness(agent(EscalationConfig.defaults(), MODES,
                service("plc").essential().intensity(2, Duration.ofSeconds(30))));
        h.start();
        h.crashRepeatedly("plc", 3);
        assertEquals(Mode.SAFE, h.agent.mode());
        h.advance(Duration.ofMinutes(8));
        h.crash("plc", 1);
        h.advance(Duration.ofMinutes(8));
        assertEquals(Mode.SAFE, h.agent.mode(), "left SAFE although an essential service failed 8 minutes ago");
        h.advance(Duration.ofMinutes(2));
        assertEquals(Mode.NORMAL, h.agent.mode());
    }

    @Test
    void answersModeClearOnTheControlChannelWithTheNewMode() throws Exception {
        AgentHarness h = new AgentHarness(agent(EscalationConfig.defaults(), MODES, fragile("plc").essential(),
                service("web")));
        h.start();
        h.crashRepeatedly("plc", 3);
        var reply = new java.util.concurrent.CompletableFuture<String>();
        h.loop.submit(new LoopEvent.Control("mode clear", "bob", reply));
        assertEquals("ok mode NORMAL\n", reply.get());
        assertTrue(h.last(EventCode.MODE_CHANGED).reason().contains("operator bob"));
    }

    @Test
    void reportsModeAndServicesOnTheControlChannel() throws Exception {
        AgentHarness h = new AgentHarness(agent(EscalationConfig.defaults(), MODES, fragile("plc").essential(),
                service("web")));
        h.start();
        h.crashRepeatedly("plc", 3);
        var reply = new java.util.concurrent.CompletableFuture<String>();
        h.loop.submit(new LoopEvent.Control("status", "bob", reply));
        String status = reply.get();
        assertTrue(status.startsWith("ok\nmode SAFE\n"), status);
        assertTrue(status.contains("service web STOPPED"), status);
        assertTrue(status.matches("(?s).*service plc RUNNING pid \\d+ restarts 0 essential.*"), status);
    }

    @Test
    void rejectsAnUnknownControlRequest() throws Exception {
        AgentHarness h = new AgentHarness(agent(EscalationConfig.defaults(), MODES, service("web")));
        h.start();
        var reply = new java.util.concurrent.CompletableFuture<String>();
        h.loop.submit(new LoopEvent.Control("reboot now please", "eve", reply));
        assertEquals("error unknown request 'reboot now please'; known: status, mode clear, update rollback, evidence export\n", reply.get());
        assertEquals(Mode.NORMAL, h.agent.mode());
    }

    @Test
    void returnsToNormalOnOperatorClear() {
        AgentHarness h = new AgentHarness(agent(EscalationConfig.defaults(), MODES, fragile("plc").essential(),
                service("web")));
        h.start();
        h.crashRepeatedly("plc", 3);
        h.loop.submit(new LoopEvent.OperatorClear("alice"));
        assertEquals(Mode.NORMAL, h.agent.mode());
        assertTrue(h.launcher.isRunning("web"));
        assertTrue(h.codes().contains("operator.command"));
        assertTrue(h.last(EventCode.MODE_CHANGED).reason().contains("alice"));
    }
}
