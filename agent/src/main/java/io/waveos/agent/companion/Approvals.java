package io.waveos.agent.companion;

import io.waveos.agent.config.CompanionConfig.Approval;
import java.util.function.Consumer;

/**
 * Asks before a risky action (reboot, install, commit, watchdog disarm, leaving SAFE).
 *
 * <p>Contract: {@code onDecision} is called exactly once, on the agent's loop thread, possibly before
 * {@code ask} returns; within the configured request timeout when a Guardian is asked. Every decision
 * the implementation makes or receives is an event.
 */
public interface Approvals {
    void ask(Approval action, String reason, Consumer<Decision> onDecision);

    /** True when leaving SAFE must be asked (a Guardian is configured). */
    boolean gatesSafeExit();

    /** The answer, with who decided and why. */
    record Decision(boolean approved, String reason) {
    }
}
