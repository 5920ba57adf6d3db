package io.waveos.agent;

import static io.waveos.agent.TestConfigs.agent;
import static io.waveos.agent.TestConfigs.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.platform.ProcessIdentity;
import io.waveos.agent.platform.Prober;
import io.waveos.agent.platform.Signal;
import io.waveos.agent.supervision.OrphanSweep;
import io.waveos.agent.supervision.ServiceState;
import io.waveos.agent.telemetry.EventCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Start order, readiness, stop and kill, shutdown, orphans, watchdog and systemd notification. */
class LifecycleTest {

    @Test
    void observersSeeEveryEmittedEventInOrderAfterItIsWritten() {
        AgentHarness h = new AgentHarness(agent(service("db")));
        List<String> seen = new ArrayList<>();
        h.agent.observeEvents(e -> seen.add(e.code().wire() + (h.events.contains(e) ? "" : " (not yet written)")));
        h.start();
        h.advance(Duration.ofSeconds(1));
        assertEquals(h.codes(), seen);
        assertTrue(seen.contains(EventCode.SERVICE_STARTING.wire()), seen.toString());
    }

    @Test
    void startsADependentOnlyAfterItsDependencyIsReady() {
        AgentHarness h = new AgentHarness(agent(service("web").dependsOn("db"),
                service("db").tcpReady(5432, Duration.ofSeconds(10))));
        h.start();
        assertEquals(List.of("db"), h.launcher.launchOrder());
        h.advance(Duration.ofSeconds(2));
        assertEquals(List.of("db"), h.launcher.launchOrder(), "web started before db was ready");
        h.prober.setReady(new Prober.Tcp("127.0.0.1", 5432), true);
        h.advance(Duration.ofMillis(200));
        assertEquals(List.of("db", "web"), h.launcher.launchOrder());
        assertTrue(h.last(EventCode.SERVICE_STARTING).reason().contains("dependencies ready: db"));
    }

    @Test
    void stopsAndRestartsAServiceThatIsNotReadyInTime() {
        AgentHarness h = new AgentHarness(agent(service("db").tcpReady(5432, Duration.ofSeconds(3))));
        h.start();
        h.advance(Duration.ofSeconds(3));
        assertTrue(h.codesFor("db").contains("service.not_ready"));
        assertEquals(List.of("db:TERM"), h.launcher.signals());
        assertEquals(2, h.launcher.launchCount("db"), "not restarted after the readiness timeout");
    }

    @Test
    void sendsTheStopSignalThenSigkillAfterTheStopTimeout() {
        AgentHarness h = new AgentHarness(agent(service("stubborn").stop(Signal.INT, Duration.ofSeconds(2))));
        h.launcher.ignoreTerm("stubborn");
        h.start();
        h.loop.submit(new LoopEvent.Shutdown("test"));
        assertEquals(List.of("stubborn:INT"), h.launcher.signals());
        h.advance(Duration.ofMillis(1999));
        assertTrue(h.launcher.isRunning("stubborn"));
        h.advance(Duration.ofMillis(1));
        assertFalse(h.launcher.isRunning("stubborn"));
        assertTrue(h.codesFor("stubborn").contains("service.killed"));
        assertTrue(h.actions.contains("finished"));
    }

    @Test
    void stopsServicesInReverseDependencyOrderOnShutdown() {
        AgentHarness h = new AgentHarness(agent(service("db"), service("api").dependsOn("db"),
                service("ui").dependsOn("api")));
        h.launcher.ignoreTerm("ui");
        h.start();
        h.loop.submit(new LoopEvent.Shutdown("SIGTERM"));
        assertEquals(List.of("ui:TERM"), h.launcher.signals(), "db or api stopped before their dependent");
        h.advance(Duration.ofSeconds(5));
        assertEquals(List.of("ui:TERM", "ui:KILL", "api:TERM", "db:TERM"), h.launcher.signals());
        List<String> codes = h.codes();
        assertEquals("agent.stopped", codes.get(codes.size() - 1));
        assertTrue(h.actions.contains("finished"));
        assertEquals(Map.of(), h.ledger.get(h.ledger.size() - 1), "the ledger still names processes");
    }

    @Test
    void killsWhatIsLeftWhenTheShutdownBudgetIsSpent() {
        AgentHarness h = new AgentHarness(agent(service("stubborn").stop(Signal.TERM, Duration.ofMinutes(5))));
        h.launcher.ignoreTerm("stubborn");
        h.start();
        h.loop.submit(new LoopEvent.Shutdown("SIGTERM"));
        h.advance(Duration.ofSeconds(29));
        assertTrue(h.launcher.isRunning("stubborn"));
        h.advance(Duration.ofSeconds(1));
        assertFalse(h.launcher.isRunning("stubborn"));
        assertTrue(h.actions.contains("finished"));
    }

    @Test
    void doesNotRestartServicesThatExitDuringShutdown() {
        AgentHarness h = new AgentHarness(agent(service("a"), service("b")));
        h.start();
        h.loop.submit(new LoopEvent.Shutdown("SIGTERM"));
        assertEquals(1, h.launcher.launchCount("a"));
        assertEquals(1, h.launcher.launchCount("b"));
        assertTrue(h.launcher.runningServices().isEmpty());
    }

    @Test
    void stopsOrphansOfThePreviousGenerationBeforeStartingServices() {
        AgentHarness h = new AgentHarness(agent(service("app")));
        ProcessIdentity old = new ProcessIdentity(42, 42, 777);
        h.launcher.addForeign(old, Optional.empty());
        h.start(List.of(new OrphanSweep.Candidate("app", old, Signal.TERM, Duration.ofSeconds(5))));
        assertEquals(List.of("pid42:TERM"), h.launcher.signals());
        assertEquals(0, h.launcher.launchCount("app"), "started before the orphan was gone");
        h.advance(Agent.ORPHAN_POLL);
        assertFalse(h.launcher.isAlive(42));
        assertEquals(1, h.launcher.launchCount("app"));
        assertEquals(List.of("service.orphan_found", "service.orphan_stopped", "service.starting", "service.ready"),
                h.codesFor("app"));
    }

    @Test
    void killsOrphansThatIgnoreTheStopSignalAfterTheirServicesStopTimeout() {
        AgentHarness h = new AgentHarness(agent(service("app")));
        ProcessIdentity old = new ProcessIdentity(42, 42, 777);
        h.launcher.addForeign(old, Optional.empty());
        h.start(List.of(new OrphanSweep.Candidate("app", old, Signal.HUP, Duration.ofSeconds(3))));
        h.advance(Duration.ofMillis(2900));
        assertTrue(h.launcher.isAlive(42));
        h.advance(Duration.ofMillis(200));
        assertFalse(h.launcher.isAlive(42));
        assertEquals(1, h.launcher.launchCount("app"));
    }

    @Test
    void neverSignalsAProcessWhosePidWasReused() {
        AgentHarness h = new AgentHarness(agent(service("app")));
        h.launcher.addForeign(new ProcessIdentity(42, 42, 999), Optional.empty());
        h.start(List.of(new OrphanSweep.Candidate("app", new ProcessIdentity(42, 42, 777), Signal.TERM,
                Duration.ofSeconds(5))));
        assertEquals(List.of(), h.launcher.signals());
        assertTrue(h.launcher.isAlive(42));
        assertEquals(1, h.launcher.launchCount("app"));
    }

    @Test
    void findsUnrecordedChildrenByTheirEnvironmentMarker() {
        ProcessIdentity recorded = new ProcessIdentity(50, 50, 1);
        ProcessIdentity unrecorded = new ProcessIdentity(60, 60, 2);
        ProcessIdentity grandchild = new ProcessIdentity(51, 50, 3);
        var candidates = OrphanSweep.candidates(agent(service("app").stop(Signal.INT, Duration.ofSeconds(1))).services(),
                Map.of("app", recorded), List.of(recorded, unrecorded, grandchild));
        assertEquals(2, candidates.size(), candidates.toString());
        assertEquals(Signal.INT, candidates.get(0).stopSignal());
        assertEquals(Duration.ofSeconds(1), candidates.get(0).stopTimeout());
        assertEquals(60, candidates.get(1).identity().pid());
    }

    @Test
    void tellsSystemdReadyOnceAllServicesAreReady() {
        AgentHarness h = new AgentHarness(agent(service("db").tcpReady(5432, Duration.ofSeconds(10)),
                service("app")));
        h.start();
        assertFalse(h.actions.contains("notify READY=1"));
        h.prober.setReady(new Prober.Tcp("127.0.0.1", 5432), true);
        h.advance(Duration.ofMillis(200));
        assertEquals(1, h.actions.stream().filter(a -> a.equals("notify READY=1")).count());
        h.crash("app", 1);
        assertEquals(1, h.actions.stream().filter(a -> a.equals("notify READY=1")).count());
    }

    @Test
    void kicksTheWatchdogAndPingsSystemdEveryInterval() {
        AgentHarness h = new AgentHarness(agent(service("app")));
        h.systemdWatchdog = Optional.of(Duration.ofSeconds(4));
        h.start();
        long kicks = h.actions.stream().filter(a -> a.equals("kick")).count();
        h.advance(Duration.ofSeconds(10));
        // Half of systemd's 4 s interval (2 s) is shorter than the configured 5 s.
        assertEquals(kicks + 5, h.actions.stream().filter(a -> a.equals("kick")).count());
        assertEquals(kicks + 5, h.actions.stream().filter(a -> a.equals("notify WATCHDOG=1")).count());
    }

    @Test
    void stopsKickingWhenTheLoopStopsHandlingEvents() {
        AgentHarness h = new AgentHarness(agent(service("app")));
        h.start();
        long kicks = h.actions.stream().filter(a -> a.equals("kick")).count();
        h.loop.stop(); // a stuck loop: ticks are queued but never handled
        h.advance(Duration.ofMinutes(1));
        assertEquals(kicks, h.actions.stream().filter(a -> a.equals("kick")).count());
    }

    @Test
    void disarmsTheWatchdogWithTheMagicCloseOnCleanShutdown() {
        AgentHarness h = new AgentHarness(agent(service("app")));
        h.start();
        h.loop.submit(new LoopEvent.Shutdown("SIGTERM"));
        int disarm = h.actions.indexOf("disarm");
        assertTrue(disarm >= 0 && disarm < h.actions.indexOf("finished"), h.actions.toString());
        assertTrue(h.codes().contains("watchdog.disarmed"));
    }

    @Test
    void fsyncsRoutineEventsWithinAFlushIntervalAndDoesNotWakeWhenIdle() {
        AgentHarness h = new AgentHarness(agent(service("app")));
        h.start();
        h.advance(Agent.FLUSH_INTERVAL);
        assertEquals(1, h.flushes, "the startup's routine events were not fsynced within the interval");
        h.advance(Duration.ofMinutes(10));
        assertEquals(1, h.flushes, "an idle agent kept waking up to flush");
        h.crash("app", 1);
        h.crash("app", 1);
        h.advance(Agent.FLUSH_INTERVAL.minusMillis(1));
        assertEquals(1, h.flushes);
        h.advance(Duration.ofMillis(1));
        assertEquals(2, h.flushes, "one flush covers every routine event of the interval");
    }

    @Test
    void recordsEveryLaunchInTheProcessLedger() {
        AgentHarness h = new AgentHarness(agent(service("a"), service("b")));
        h.start();
        Map<String, ProcessIdentity> last = h.ledger.get(h.ledger.size() - 1);
        assertEquals(List.of("a", "b"), last.keySet().stream().sorted().toList());
        h.crash("a", 1);
        long pid = h.agent.supervisor().service("a").orElseThrow().process().orElseThrow().pid();
        assertEquals(pid, h.ledger.get(h.ledger.size() - 1).get("a").pid());
        assertEquals(ServiceState.RUNNING, h.agent.supervisor().service("a").orElseThrow().state());
    }
}
