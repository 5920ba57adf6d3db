package io.waveos.agent.config;

import java.nio.file.Path;
import java.util.Objects;

/** Where the agent keeps durable state and logs (runs, service output). */
public record PathsConfig(Path state, Path logs) {
    public PathsConfig {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(logs, "logs");
    }
}
