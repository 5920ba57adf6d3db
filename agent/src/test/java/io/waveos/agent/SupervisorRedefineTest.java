package io.waveos.agent;

import static io.waveos.agent.TestConfigs.agent;
import static io.waveos.agent.TestConfigs.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.platform.Signal;
import io.waveos.agent.supervision.ServiceMachine;
import io.waveos.agent.supervision.ServiceState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Service definitions replaced at run time, as an update's activation and rollback do, in virtual time. */
class SupervisorRedefineTest {

    @Test
    void replacesARunningServiceOnlyAfterItsOldProcessHasStopped() {
        AgentHarness h = new AgentHarness(agent(service("app").stop(Signal.TERM, Duration.ofSeconds(5))));
        h.launcher.ignoreTerm("app");
        h.start();
        h.agent.supervisor().redefine(Map.of("app", Optional.of(service("app").command("/slots/b/app").build())),
                "update activates slot b");
        assertEquals(1, h.launcher.launchCount("app"), "started the new definition while the old process ran");
        assertTrue(h.agent.supervisor().redefining());
        h.advance(Duration.ofSeconds(5)); // the stop timeout: SIGKILL
        assertEquals(2, h.launcher.launchCount("app"));
        assertEquals(List.of("/slots/b/app"), h.launcher.lastCommand("app"));
        assertFalse(h.agent.supervisor().redefining());
        assertEquals(ServiceState.RUNNING, h.agent.supervisor().service("app").orElseThrow().state());
    }

    @Test
    void addsANewServiceAfterItsDependencies() {
        AgentHarness h = new AgentHarness(agent(service("db")));
        h.start();
        h.agent.supervisor().redefine(Map.of("web", Optional.of(service("web").dependsOn("db").build())), "install");
        assertEquals(List.of("db", "web"), h.agent.supervisor().services().stream().map(ServiceMachine::name).toList());
        assertEquals(1, h.launcher.launchCount("web"));
    }

    @Test
    void removesAServiceAndStopsItsProcess() {
        AgentHarness h = new AgentHarness(agent(service("db"), service("extra")));
        h.start();
        h.agent.supervisor().redefine(Map.of("extra", Optional.empty()), "rollback of the first install");
        assertFalse(h.launcher.isRunning("extra"));
        assertTrue(h.agent.supervisor().service("extra").isEmpty());
        assertTrue(h.launcher.isRunning("db"));
    }

    @Test
    void refusesARemovalThatLeavesADependentBehindAndChangesNothing() {
        AgentHarness h = new AgentHarness(agent(service("db"), service("web").dependsOn("db")));
        h.start();
        assertThrows(IllegalArgumentException.class,
                () -> h.agent.supervisor().redefine(Map.of("db", Optional.empty()), "bad"));
        assertTrue(h.launcher.isRunning("db"));
        assertEquals(1, h.launcher.launchCount("db"));
    }

    @Test
    void exitOfTheOldProcessNeverCountsAsACrashOfTheNewDefinition() {
        AgentHarness h = new AgentHarness(agent(service("app")));
        h.start();
        h.agent.supervisor().redefine(Map.of("app", Optional.of(service("app").command("/slots/b/app").build())),
                "update");
        ServiceMachine now = h.agent.supervisor().service("app").orElseThrow();
        assertEquals(1, now.launches());
        assertEquals(0, now.restartsSinceStable());
        assertEquals(0, h.agent.restartsTotal());
    }
}
