package io.waveos.agent.supervision;

import io.waveos.agent.platform.ProcessIdentity;
import java.util.Map;

/**
 * Remembers which processes this agent started, so that the next agent generation can find them
 * after a crash of this one. Called on the loop thread after every launch and exit.
 */
@FunctionalInterface
public interface ProcessLedger {
    void record(Map<String, ProcessIdentity> running);
}
