package io.waveos.agent.config;

import java.time.Duration;

/** Graceful shutdown: all services are stopped within {@code budget}, then the rest are killed. */
public record ShutdownConfig(Duration budget) {
    public ShutdownConfig {
        if (budget.isNegative() || budget.isZero()) {
            throw new IllegalArgumentException("shutdown budget must be positive");
        }
    }

    public static ShutdownConfig defaults() {
        return new ShutdownConfig(Duration.ofSeconds(30));
    }
}
