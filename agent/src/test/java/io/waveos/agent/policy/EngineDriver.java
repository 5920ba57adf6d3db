package io.waveos.agent.policy;

import io.waveos.agent.config.ConfigException;
import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.EventCode;
import io.waveos.agent.telemetry.MetricKey;
import io.waveos.agent.telemetry.Sample;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Drives a {@link PolicyEngine} in virtual time and keeps every command it returned. */
final class EngineDriver {
    static final Instant ORIGIN = Instant.parse("2026-11-22T05:00:00Z");

    final PolicyEngine engine;
    final List<PolicyCommand> commands = new ArrayList<>();
    long nowNanos;

    EngineDriver(String policyYaml) throws ConfigException {
        this.engine = new PolicyEngine(new PolicyLoader().parse("p.yaml", policyYaml.getBytes(StandardCharsets.UTF_8)));
    }

    /** Moves virtual time to {@code seconds} after the origin. */
    EngineDriver at(double seconds) {
        nowNanos = Math.round(seconds * 1e9);
        return this;
    }

    /** A sample at the current time: alternating wire keys and values. */
    List<PolicyCommand> sample(Object... keyValues) {
        Map<MetricKey, Double> values = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put(MetricKey.parse((String) keyValues[i]), ((Number) keyValues[i + 1]).doubleValue());
        }
        List<PolicyCommand> out = engine.onSample(new Sample(ORIGIN.plusNanos(nowNanos), nowNanos, values));
        commands.addAll(out);
        return out;
    }

    List<PolicyCommand> event(EventCode code, String subject, Object... fields) {
        List<PolicyCommand> out = engine.onEvent(Event.of(code, subject, "test", fields), nowNanos);
        commands.addAll(out);
        return out;
    }

    Duration restart(String service, Duration backoff) {
        List<PolicyCommand> out = new ArrayList<>();
        Duration d = engine.restartDelay(service, nowNanos, backoff, out);
        commands.addAll(out);
        return d;
    }

    /** The decisions so far as {@code rule action outcome}. */
    List<String> decisions() {
        return commands.stream().filter(c -> c instanceof PolicyCommand.Emit).map(c -> ((PolicyCommand.Emit) c).event())
                .map(e -> e.subject() + " " + e.fields().get("action") + " " + e.fields().get("outcome"))
                .collect(Collectors.toList());
    }

    /** The decision events so far. */
    List<Event> decisionEvents() {
        return commands.stream().filter(c -> c instanceof PolicyCommand.Emit).map(c -> ((PolicyCommand.Emit) c).event())
                .collect(Collectors.toList());
    }

    /** The enforcing commands so far (not events), by simple class name. */
    List<String> enforced() {
        return commands.stream().filter(c -> !(c instanceof PolicyCommand.Emit))
                .map(c -> c.getClass().getSimpleName()).collect(Collectors.toList());
    }
}
