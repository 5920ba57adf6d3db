package io.waveos.agent.companion;

import io.waveos.agent.config.CompanionConfig.Approval;
import java.util.function.Consumer;

/** No Guardian is configured: every action is the agent's own decision and proceeds at once. */
public final class NoGuardian implements Approvals {
    @Override
    public void ask(Approval action, String reason, Consumer<Decision> onDecision) {
        onDecision.accept(new Decision(true, "no Guardian configured"));
    }

    @Override
    public boolean gatesSafeExit() {
        return false;
    }
}
