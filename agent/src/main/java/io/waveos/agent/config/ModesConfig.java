package io.waveos.agent.config;

import java.time.Duration;

/**
 * Mode hysteresis.
 *
 * @param safeExitAfter SAFE is left for NORMAL after this long with no essential-service failure
 * @param degradedRetryAfter services stopped by degradation are retried after this long; DEGRADED is
 *     left when they have all run for their backoff reset period
 */
public record ModesConfig(Duration safeExitAfter, Duration degradedRetryAfter) {
    public ModesConfig {
        if (safeExitAfter.isNegative() || safeExitAfter.isZero()
                || degradedRetryAfter.isNegative() || degradedRetryAfter.isZero()) {
            throw new IllegalArgumentException("mode periods must be positive");
        }
    }

    public static ModesConfig defaults() {
        return new ModesConfig(Duration.ofMinutes(10), Duration.ofMinutes(5));
    }
}
