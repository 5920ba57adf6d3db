package io.waveos.agent;

import io.waveos.agent.config.AgentConfig;
import io.waveos.agent.telemetry.Redaction;

/** Test access to the composition root's package-private helpers. */
public final class AgentMainAccess {
    private AgentMainAccess() {
    }

    public static Redaction redaction(AgentConfig config) {
        return AgentMain.redaction(config);
    }
}
