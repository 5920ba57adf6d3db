package io.waveos.agent.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.platform.fake.FakeProcessMetrics;
import io.waveos.agent.platform.fake.FakeSystemMetrics;
import io.waveos.agent.platform.fake.FakeTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SpoolMetricsTest {
    private final FakeTime time = new FakeTime();
    private final Sampler sampler = new Sampler(new FakeSystemMetrics(), new FakeProcessMetrics(), new EventTally(time),
            time, time);

    @Test
    void samplesTheSpoolsQueueDepthDropsBytesAndForwardingFigures() {
        Sample s = sampler.sample(List.of(), new AgentFacts(0, 0, Optional.empty(), 1, 2,
                Optional.of(new SpoolFigures(7, 1000, 3, 30, 12, 500, 25, 1)))).sample();
        assertEquals(Optional.of(7.0), s.get(MetricKey.agent("spool_queue_depth")));
        assertEquals(Optional.of(1000.0), s.get(MetricKey.agent("spool_written_bytes_total")));
        assertEquals(Optional.of(3.0), s.get(MetricKey.agent("spool_dropped_total")));
        assertEquals(Optional.of(30.0), s.get(MetricKey.agent("spool_dropped_bytes_total")));
        assertEquals(Optional.of(12.0), s.get(MetricKey.agent("spool_retention_dropped_total")));
        assertEquals(Optional.of(500.0), s.get(MetricKey.agent("spool_forwarded_total")));
        assertEquals(Optional.of(25.0), s.get(MetricKey.agent("spool_forward_duplicates_total")));
        assertEquals(Optional.of(1.0), s.get(MetricKey.agent("spool_forward_breakers_open")));
    }

    @Test
    void eachServicesErrorLevelLinesBecomeItsLogErrorsSeries() {
        Sample s = sampler.sample(List.of(), new AgentFacts(0, 0, Optional.empty(), 1, 2,
                Optional.of(new SpoolFigures(0, 0, 0, 0, 0, 0, 0, 0, java.util.Map.of("modem", 4L, "web", 0L)))))
                .sample();
        assertEquals(Optional.of(4.0), s.get(MetricKey.service("modem", "log_errors_total")));
        assertEquals(Optional.of(0.0), s.get(MetricKey.service("web", "log_errors_total")));
    }

    @Test
    void withoutASpoolItsSeriesAreAbsentNeverZero() {
        Sample s = sampler.sample(List.of(), new AgentFacts(0, 0, Optional.empty(), 1, 2)).sample();
        assertTrue(s.get(MetricKey.agent("spool_queue_depth")).isEmpty());
    }
}
