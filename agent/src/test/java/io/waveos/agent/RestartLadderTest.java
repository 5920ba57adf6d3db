package io.waveos.agent;

import static io.waveos.agent.TestConfigs.agent;
import static io.waveos.agent.TestConfigs.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.config.RestartConfig;
import io.waveos.agent.platform.ExitStatus;
import io.waveos.agent.supervision.ServiceState;
import io.waveos.agent.telemetry.EventCode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Restart, backoff, its reset, and intensity windows, in virtual time. */
class RestartLadderTest {

    private static Duration ms(long n) {
        return Duration.ofMillis(n);
    }

    @Test
    void restartsCrashedServiceAtOnceWhenInitialBackoffIsZero() {
        AgentHarness h = new AgentHarness(agent(service("app")));
        h.start();
        h.crash("app", 1);
        assertEquals(2, h.launcher.launchCount("app"));
        assertEquals(List.of("service.starting", "service.ready", "service.exited", "service.restart_scheduled",
                "service.starting", "service.ready"), h.codesFor("app"));
        assertEquals(0L, h.last(EventCode.RESTART_SCHEDULED).fields().get("delay_ms"));
        assertEquals(1, h.last(EventCode.SERVICE_EXITED).fields().get("exit_code"));
    }

    @Test
    void backsOffExponentiallyUpToTheCapAfterRepeatedCrashes() {
        AgentHarness h = new AgentHarness(agent(service("app").backoff(Duration.ZERO, ms(500), 2.0, 0.0,
                Duration.ofSeconds(60)).intensity(50, Duration.ofSeconds(60))));
        h.start();
        long[] expected = {0, 100, 200, 400, 500, 500};
        for (long delay : expected) {
            h.crash("app", 1);
            assertEquals(delay, h.last(EventCode.RESTART_SCHEDULED).fields().get("delay_ms"));
            long before = h.launcher.launchCount("app");
            if (delay > 0) {
                h.advance(ms(delay - 1));
                assertEquals(before, h.launcher.launchCount("app"), "restarted before the backoff elapsed");
                h.advance(ms(1));
                assertEquals(before + 1, h.launcher.launchCount("app"), "not restarted when the backoff elapsed");
            }
        }
    }

    @Test
    void addsJitterOnTopOfTheBackoff() {
        AgentHarness h = new AgentHarness(agent(service("app").backoff(ms(1000), ms(30_000), 2.0, 0.2,
                Duration.ofSeconds(60))));
        h.start();
        h.crash("app", 1);
        // The harness's random source returns 0.5: 1000 ms * (1 + 0.2 * 0.5).
        assertEquals(1100L, h.last(EventCode.RESTART_SCHEDULED).fields().get("delay_ms"));
    }

    @Test
    void resetsBackoffAfterServiceRanForTheStabilityPeriod() {
        AgentHarness h = new AgentHarness(agent(service("app").backoff(ms(100), ms(10_000), 2.0, 0.0,
                Duration.ofSeconds(60)).intensity(50, Duration.ofSeconds(10))));
        h.start();
        h.crash("app", 1);
        h.advance(ms(100));
        h.crash("app", 1);
        assertEquals(200L, h.last(EventCode.RESTART_SCHEDULED).fields().get("delay_ms"));
        h.advance(ms(200));
        h.advance(Duration.ofSeconds(60));
        assertEquals(2, h.last(EventCode.BACKOFF_RESET).fields().get("previous_restarts"));
        h.crash("app", 1);
        assertEquals(100L, h.last(EventCode.RESTART_SCHEDULED).fields().get("delay_ms"));
    }

    @Test
    void doesNotResetBackoffWhenTheServiceCrashesBeforeTheStabilityPeriod() {
        AgentHarness h = new AgentHarness(agent(service("app").backoff(ms(100), ms(10_000), 2.0, 0.0,
                Duration.ofSeconds(60)).intensity(50, Duration.ofSeconds(10))));
        h.start();
        h.crash("app", 1);
        h.advance(ms(100));
        h.advance(Duration.ofSeconds(59));
        h.crash("app", 1);
        h.advance(Duration.ofSeconds(2));
        assertTrue(h.eventsWith(EventCode.BACKOFF_RESET).isEmpty(), "a timer of the old process reset the backoff");
        assertEquals(200L, h.eventsWith(EventCode.RESTART_SCHEDULED).get(1).fields().get("delay_ms"));
    }

    @Test
    void exceedsIntensityOnTheExitAfterMaxWithinTheWindow() {
        AgentHarness h = new AgentHarness(agent(service("app").intensity(3, Duration.ofSeconds(10))));
        h.start();
        for (int i = 0; i < 3; i++) {
            h.crash("app", 1);
            h.advance(Duration.ofSeconds(1));
        }
        assertTrue(h.eventsWith(EventCode.INTENSITY_EXCEEDED).isEmpty());
        h.crash("app", 1);
        assertEquals(4, h.last(EventCode.INTENSITY_EXCEEDED).fields().get("exits"));
        assertEquals(ServiceState.DISABLED, h.agent.supervisor().service("app").orElseThrow().state());
        assertEquals(4, h.launcher.launchCount("app"));
    }

    @Test
    void forgetsExitsThatFellOutOfTheIntensityWindow() {
        AgentHarness h = new AgentHarness(agent(service("app").intensity(3, Duration.ofSeconds(10))
                .backoff(Duration.ZERO, ms(500), 2.0, 0.0, Duration.ofSeconds(3))));
        h.start();
        for (int i = 0; i < 10; i++) {
            h.crash("app", 1);
            h.advance(Duration.ofSeconds(4));
        }
        assertTrue(h.eventsWith(EventCode.INTENSITY_EXCEEDED).isEmpty(), h.codes().toString());
        assertTrue(h.launcher.isRunning("app"));
    }

    @Test
    void handlesAMissingCommandAsAFailedStartWithoutAHotLoop() {
        AgentHarness h = new AgentHarness(agent(service("ghost").command("/nonexistent/ghost")
                .intensity(3, Duration.ofSeconds(60))));
        h.launcher.missingProgram("/nonexistent/ghost");
        h.start();
        h.advance(Duration.ofSeconds(5));
        List<String> failed = h.eventsWith(EventCode.SERVICE_START_FAILED).stream()
                .map(e -> (String) e.fields().get("error")).toList();
        assertEquals(4, failed.size(), "first attempt plus max restarts, then the ladder takes over");
        assertTrue(failed.get(0).contains("No such file or directory"), failed.get(0));
        assertEquals(ServiceState.DISABLED, h.agent.supervisor().service("ghost").orElseThrow().state());
        h.advance(Duration.ofMinutes(4));
        assertEquals(4, h.eventsWith(EventCode.SERVICE_START_FAILED).size(), "kept retrying after being disabled");
    }

    @Test
    void doesNotRestartACleanExitUnderOnFailure() {
        AgentHarness h = new AgentHarness(agent(service("job").policy(RestartConfig.Policy.ON_FAILURE)));
        h.start();
        h.crash("job", 0);
        h.advance(Duration.ofMinutes(1));
        assertEquals(1, h.launcher.launchCount("job"));
        assertEquals(ServiceState.STOPPED, h.agent.supervisor().service("job").orElseThrow().state());
    }

    @Test
    void restartsAFailedExitUnderOnFailure() {
        AgentHarness h = new AgentHarness(agent(service("job").policy(RestartConfig.Policy.ON_FAILURE)));
        h.start();
        h.crash("job", 3);
        assertEquals(2, h.launcher.launchCount("job"));
    }

    @Test
    void neverRestartsUnderPolicyNever() {
        AgentHarness h = new AgentHarness(agent(service("once").policy(RestartConfig.Policy.NEVER)));
        h.start();
        h.launcher.exit("once", ExitStatus.signal(io.waveos.agent.platform.Signal.SEGV));
        h.advance(Duration.ofMinutes(1));
        assertEquals(1, h.launcher.launchCount("once"));
        assertEquals("SEGV", h.last(EventCode.SERVICE_EXITED).fields().get("signal"));
        assertFalse(h.launcher.isRunning("once"));
    }

    @Test
    void killsTheRestOfTheProcessGroupWhenTheLeaderExits() {
        AgentHarness h = new AgentHarness(agent(service("app").backoff(ms(100), ms(100), 1.0, 0.0,
                Duration.ofSeconds(60))));
        h.start();
        long pid = h.agent.supervisor().service("app").orElseThrow().process().orElseThrow().pid();
        h.launcher.addForeign(new io.waveos.agent.platform.ProcessIdentity(pid, pid, 1), java.util.Optional.empty());
        h.crash("app", 1);
        assertFalse(h.launcher.isAlive(pid), "a straggler in the service's process group survived");
    }
}
