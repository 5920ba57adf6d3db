package io.waveos.agent.policy;

import io.waveos.agent.telemetry.MetricKey;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What a rule watches. Immutable; {@link ConditionState} evaluates it. */
public sealed interface Condition {
    /** Which side of a level makes a threshold or a rate true. */
    enum Side { ABOVE, BELOW }

    /**
     * The metric's latest value is past {@code level}, continuously for {@code holdFor} (sample times).
     * With {@code clear}, once true it stays true until the value is back past {@code clear}
     * (hysteresis: {@code above: 900, clear: 700}). A missing value makes it false.
     */
    record Threshold(MetricKey metric, Side side, double level, Optional<Double> clear, Duration holdFor)
            implements Condition {
        public Threshold {
            Objects.requireNonNull(metric, "metric");
            Objects.requireNonNull(side, "side");
            if (holdFor.isNegative()) {
                throw new IllegalArgumentException("for must not be negative");
            }
            if (clear.isPresent() && (side == Side.ABOVE ? clear.get() > level : clear.get() < level)) {
                throw new IllegalArgumentException("clear must be on the other side of the level (hysteresis)");
            }
        }
    }

    /**
     * The increase of a counter metric per {@code per}, over the samples of the last {@code window},
     * is past {@code level}. A counter that goes down (a restart of what counts) counts from zero.
     */
    record Rate(MetricKey metric, Duration window, Duration per, Side side, double level) implements Condition {
        public Rate {
            Objects.requireNonNull(metric, "metric");
            Objects.requireNonNull(side, "side");
            if (window.isNegative() || window.isZero() || per.isNegative() || per.isZero()) {
                throw new IllegalArgumentException("window and per must be positive");
            }
        }
    }

    /**
     * At least {@code atLeast} events with code {@code code} (wire form, e.g. {@code service.exited})
     * and, when given, subject {@code subject}, within the last {@code within}.
     */
    record Count(String code, Optional<String> subject, Duration within, int atLeast) implements Condition {
        public Count {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(subject, "subject");
            if (within.isNegative() || within.isZero() || atLeast < 1) {
                throw new IllegalArgumentException("count needs a positive within and at_least >= 1");
            }
        }
    }

    record All(List<Condition> of) implements Condition {
        public All {
            of = List.copyOf(of);
            if (of.isEmpty()) {
                throw new IllegalArgumentException("all needs at least one condition");
            }
        }
    }

    record Any(List<Condition> of) implements Condition {
        public Any {
            of = List.copyOf(of);
            if (of.isEmpty()) {
                throw new IllegalArgumentException("any needs at least one condition");
            }
        }
    }

    record Not(Condition of) implements Condition {
        public Not {
            Objects.requireNonNull(of, "of");
        }
    }
}
