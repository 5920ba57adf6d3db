package io.waveos.agent.telemetry;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One round of collection: every figure read at one moment. Written to {@code metrics.csv} as one row
 * per value, evaluated by the policy engine, replayed from the file by {@code waveos policy replay}.
 *
 * <p>A figure the host does not have, or that could not be read this round, is absent, never 0.
 *
 * @param wall wall-clock time of the round (evidence stamps; may jump)
 * @param monoNanos monotonic time of the round (windows, rates and {@code for} durations use this)
 * @param values in collection order; unmodifiable; every value finite
 */
public record Sample(Instant wall, long monoNanos, Map<MetricKey, Double> values) {
    public Sample {
        Objects.requireNonNull(wall, "wall");
        LinkedHashMap<MetricKey, Double> copy = new LinkedHashMap<>();
        for (Map.Entry<MetricKey, Double> e : values.entrySet()) {
            double v = Objects.requireNonNull(e.getValue(), () -> e.getKey() + " is null");
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException(e.getKey() + " is " + v + "; values must be finite");
            }
            copy.put(Objects.requireNonNull(e.getKey(), "key"), v);
        }
        values = Collections.unmodifiableMap(copy);
    }

    public Optional<Double> get(MetricKey key) {
        return Optional.ofNullable(values.get(key));
    }
}
