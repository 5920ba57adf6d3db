package io.waveos.companion.guardian;

import io.waveos.companion.proto.CommandDecision;
import io.waveos.companion.proto.DecisionReason;

/**
 * One decision of the {@link CommandGate}.
 *
 * @param requestId the CommandRequest id
 * @param approve whether the command may run
 * @param reason the stable reason code sent to the device
 * @param rule the name of the rule that decided, e.g. {@code deny-pattern:bad-bundle}
 * @param text a human explanation
 */
public record GateDecision(String requestId, boolean approve, DecisionReason reason, String rule, String text) {

    public GateDecision {
        if (requestId == null || reason == null || rule == null || text == null) {
            throw new IllegalArgumentException("every field of a decision is required");
        }
        if (approve != (reason == DecisionReason.DECISION_REASON_ALLOWED)) {
            throw new IllegalArgumentException("approve=" + approve + " contradicts reason " + reason);
        }
    }

    /** The message sent to the device. */
    public CommandDecision toProto() {
        return CommandDecision.newBuilder()
                .setRequestId(requestId)
                .setApprove(approve)
                .setReason(reason)
                .setReasonText(text)
                .setRule(rule)
                .build();
    }
}
