package io.waveos.agent;

import static io.waveos.agent.TestConfigs.agent;
import static io.waveos.agent.TestConfigs.service;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.waveos.agent.platform.ExitStatus;
import io.waveos.agent.platform.Signal;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The agent's own figures for the Guardian's health reports, in virtual time. */
class HealthFiguresTest {
    private static AgentHarness started() {
        AgentHarness h = new AgentHarness(agent(service("app").intensity(100, Duration.ofSeconds(60)),
                service("db").intensity(100, Duration.ofSeconds(60))));
        h.start();
        return h;
    }

    private static int errors(AgentHarness h) {
        return h.agent.healthFigures().failuresLastMinute();
    }

    @Test
    void errorRateCountsFailedExitsOfTheLastSixtySeconds() {
        AgentHarness h = started();

        h.crash("app", 1); // t = 0
        h.advance(Duration.ofSeconds(10));
        h.launcher.exit("db", ExitStatus.signal(Signal.KILL)); // t = 10 s: killed by a signal counts
        h.advance(Duration.ofSeconds(10));
        h.launcher.exit("app", ExitStatus.code(0)); // t = 20 s: a clean exit is no error
        assertEquals(2, errors(h));

        h.advance(Duration.ofMillis(39_999));
        assertEquals(2, errors(h), "at 59.999 s the first failure is still inside the window");
        h.advance(Duration.ofMillis(1));
        assertEquals(1, errors(h), "at 60 s the first failure has left the window");
        h.advance(Duration.ofSeconds(10));
        assertEquals(0, errors(h));
        assertEquals(3, h.agent.healthFigures().restartsTotal());
    }

    @Test
    void requestedStopsAreNotErrors() {
        AgentHarness h = started();

        h.loop.submit(new LoopEvent.Shutdown("test"));
        h.advance(Duration.ofSeconds(1));

        assertEquals(2, h.launcher.signals().stream().filter(s -> s.endsWith(":TERM")).count(), h.launcher.signals().toString());
        assertEquals(0, errors(h));
    }

    @Test
    void reportsTheEventLoopBacklogAndNoLinkQueueWithoutAGuardian() {
        AgentHarness h = started();

        assertEquals(Map.of("event_loop", 0), h.agent.healthFigures().queueDepths());
    }
}
