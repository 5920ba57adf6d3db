package io.waveos.agent.config;

import io.waveos.agent.platform.Signal;
import java.time.Duration;
import java.util.Objects;

/** How a service is stopped: {@code signal} to its process group, then SIGKILL after {@code timeout}. */
public record StopConfig(Signal signal, Duration timeout) {
    public StopConfig {
        Objects.requireNonNull(signal, "signal");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("stop timeout must not be negative");
        }
    }

    public static StopConfig defaults() {
        return new StopConfig(Signal.TERM, Duration.ofSeconds(5));
    }
}
