package io.waveos.agent.config;

import java.util.Objects;

/**
 * An environment value. A secret one is passed to the service but never printed: {@link #toString}
 * masks it, and config errors and events never include it.
 */
public record EnvValue(String value, boolean secret) {
    /**
     * The shortest secret value accepted: secrets are redacted by searching for their value in what
     * the agent writes, and a shorter one would mask unrelated text (telemetry's {@code Redaction}).
     */
    public static final int MIN_SECRET_LENGTH = 4;

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
