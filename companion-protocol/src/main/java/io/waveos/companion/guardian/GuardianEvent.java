package io.waveos.companion.guardian;

import java.util.Map;

/**
 * One record of the Guardian's log.
 *
 * @param code what happened
 * @param monotonicMs when, on the Guardian's monotonic clock ({@link GuardianEpoch})
 * @param reason a stable reason code (a decision reason, a {@link ResetReason}, ...); empty if none
 * @param rule the rule that decided, for decisions; empty otherwise
 * @param text a human explanation
 * @param details further fields (request id, command kind, metric, ...), written in key order
 * @param durable true: the record must be on disk (fsync) before the Guardian acts on it
 */
public record GuardianEvent(GuardianCode code, long monotonicMs, String reason, String rule, String text,
        Map<String, String> details, boolean durable) {

    public GuardianEvent {
        if (code == null || reason == null || rule == null || text == null) {
            throw new IllegalArgumentException("code, reason, rule and text are required (empty is fine)");
        }
        details = Map.copyOf(details);
    }
}
