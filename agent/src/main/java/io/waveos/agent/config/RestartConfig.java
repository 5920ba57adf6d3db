package io.waveos.agent.config;

import java.time.Duration;
import java.util.Objects;

/**
 * When and how fast a service is restarted.
 *
 * @param policy {@code ALWAYS}, {@code ON_FAILURE} (not after exit code 0) or {@code NEVER}
 * @param backoff the delay before restart number n is {@code min(max, initial * factor^(n-1))}, with
 *     up to {@code jitter} (a fraction) added at random; the count resets once the service has run
 *     for {@code resetAfter}
 * @param intensity more than {@code max} exits within {@code within} exceeds the intensity and
 *     escalates instead of restarting
 */
public record RestartConfig(Policy policy, Backoff backoff, Intensity intensity) {

    public enum Policy { ALWAYS, ON_FAILURE, NEVER }

    public RestartConfig {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(intensity, "intensity");
    }

    public static RestartConfig defaults() {
        return new RestartConfig(Policy.ALWAYS, Backoff.defaults(), Intensity.defaults());
    }

    /** Exponential backoff with jitter that resets after a stability period. */
    public record Backoff(Duration initial, Duration max, double factor, double jitter, Duration resetAfter) {
        public Backoff {
            if (initial.isNegative() || max.isNegative() || resetAfter.isNegative()) {
                throw new IllegalArgumentException("backoff durations must not be negative");
            }
            if (max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("backoff max must be at least initial");
            }
            if (!(factor >= 1.0) || factor > 100.0) {
                throw new IllegalArgumentException("backoff factor must be in [1, 100]");
            }
            if (!(jitter >= 0.0) || jitter > 1.0) {
                throw new IllegalArgumentException("backoff jitter must be in [0, 1]");
            }
        }

        public static Backoff defaults() {
            return new Backoff(Duration.ZERO, Duration.ofSeconds(30), 2.0, 0.1, Duration.ofSeconds(60));
        }
    }

    /** N exits within T. */
    public record Intensity(int max, Duration within) {
        public Intensity {
            if (max < 1) {
                throw new IllegalArgumentException("intensity max must be at least 1");
            }
            if (within.isNegative() || within.isZero()) {
                throw new IllegalArgumentException("intensity window must be positive");
            }
        }

        public static Intensity defaults() {
            return new Intensity(5, Duration.ofSeconds(60));
        }
    }
}
