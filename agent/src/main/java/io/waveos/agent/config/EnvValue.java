package io.waveos.agent.config;

import java.util.Objects;

/**
 * An environment value. A secret one is passed to the service but never printed: {@link #toString}
 * masks it, and config errors and events never include it.
 */
public record EnvValue(String value, boolean secret) {
    public EnvValue {
        Objects.requireNonNull(value, "value");
    }

    /** What may be shown to an operator. */
    public String display() {
        return secret ? "***" : value;
    }

    @Override
    public String toString() {
        return display();
    }
}
