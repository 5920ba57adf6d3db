package io.waveos.agent.companion;

import io.waveos.agent.platform.SystemMetrics;
import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.EventCode;
import io.waveos.agent.telemetry.EventSink;
import io.waveos.companion.proto.HealthReport;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Builds the health reports the Guardian's trend detector and command gate read, on the loop thread,
 * from the host's figures ({@link SystemMetrics}, read once per report) and the agent's own (restarts,
 * failures in the last minute, queue depths).
 *
 * <p>CPU use is the busy share of the ticks between this report's snapshot and the previous one: the
 * first report after a start, or after the figures could not be read, has none. Unknown figures are
 * absent from the report (proto3 presence), never 0; unknown memory is a total of 0.
 *
 * <p>Events: the host's figures becoming unreadable (and readable again), and the set of unreadable
 * sensors changing, each once, not once per report. Not thread-safe: loop thread only.
 */
public final class HealthSampler {
    private final SystemMetrics metrics;
    private final EventSink events;
    private Optional<SystemMetrics.CpuTimes> previousCpu = Optional.empty();
    private Optional<String> failing = Optional.empty();
    private List<String> unreadable = List.of();

    /**
     * The agent's own figures for one report.
     *
     * @param failuresLastMinute service exits that were failures within the last minute
     * @param queueDepths queue name to current depth, e.g. {@code event_loop}, {@code guardian_link}
     */
    public record AgentFigures(long restartsTotal, int failuresLastMinute, Map<String, Integer> queueDepths) {
        public AgentFigures {
            if (restartsTotal < 0 || failuresLastMinute < 0) {
                throw new IllegalArgumentException("counts must not be negative");
            }
            queueDepths = Map.copyOf(queueDepths);
        }
    }

    public HealthSampler(SystemMetrics metrics, EventSink events) {
        this.metrics = metrics;
        this.events = events;
    }

    /** One report taken at monotonic time {@code nowNanos}. */
    public HealthReport sample(long nowNanos, AgentFigures agent) {
        HealthReport.Builder b = HealthReport.newBuilder().setMonotonicMs(nowNanos / 1_000_000)
                .setRestartsTotal(agent.restartsTotal()).setErrorRatePerMin(agent.failuresLastMinute());
        // Sorted, so that equal figures give equal bytes on the wire.
        new TreeMap<>(agent.queueDepths()).forEach((name, depth) -> b.putQueueDepths(name, Math.max(0, depth)));
        Optional<SystemMetrics.Snapshot> snapshot = snapshot();
        if (snapshot.isEmpty()) {
            previousCpu = Optional.empty();
            return b.build();
        }
        SystemMetrics.Snapshot s = snapshot.get();
        b.setMemoryTotalBytes(s.memory().totalBytes()).setMemoryUsedBytes(s.memory().usedBytes());
        previousCpu.flatMap(s.cpu()::permilleSince).ifPresent(b::setCpuPermille);
        previousCpu = Optional.of(s.cpu());
        s.temperatureMillicelsius().ifPresent(b::setTemperatureMillicelsius);
        if (!s.unreadable().equals(unreadable)) {
            unreadable = s.unreadable();
            events.emit(Event.of(EventCode.HEALTH_FIGURES, "companion", unreadable.isEmpty()
                    ? "every sensor readable again" : "sensors left out of health reports: "
                    + String.join("; ", unreadable)));
        }
        return b.build();
    }

    private Optional<SystemMetrics.Snapshot> snapshot() {
        try {
            SystemMetrics.Snapshot s = metrics.snapshot();
            if (failing.isPresent()) {
                failing = Optional.empty();
                events.emit(Event.of(EventCode.HEALTH_FIGURES, "companion",
                        "host figures readable again; CPU use returns with the next report"));
            }
            return Optional.of(s);
        } catch (IOException e) {
            String why = String.valueOf(e.getMessage());
            if (!failing.equals(Optional.of(why))) {
                failing = Optional.of(why);
                events.emit(Event.of(EventCode.HEALTH_FIGURES, "companion",
                        "health reports without host figures (memory, CPU, temperature): " + why));
            }
            return Optional.empty();
        }
    }
}
