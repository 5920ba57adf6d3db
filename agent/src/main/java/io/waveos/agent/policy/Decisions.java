package io.waveos.agent.policy;

import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.EventCode;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds {@code policy.decision} events: rule, action, outcome, inputs, policy version. */
final class Decisions {
    /** What became of a decision. */
    enum Outcome {
        /** Enforced. */
        FIRED,
        /** The rule is in shadow mode: logged as "would have fired", not enforced. */
        SHADOWED,
        /** The rule's {@code limit} was reached: not enforced. */
        SUPPRESSED;

        String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final int policyVersion;

    Decisions(int policyVersion) {
        this.policyVersion = policyVersion;
    }

    /**
     * @param action the action or step: notify, breaker_trip, breaker_half_open, breaker_close,
     *     restart_hold, priority, budget_warn, budget_throttle, budget_release, budget_restart, allowed_modes
     * @param extra further fields as alternating keys and values
     */
    PolicyCommand.Emit decision(Rule rule, String action, Outcome outcome, String what, String inputs,
            Object... extra) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("rule", rule.id());
        f.put("action", action);
        f.put("outcome", outcome.wire());
        f.put("inputs", inputs);
        for (int i = 0; i + 1 < extra.length; i += 2) {
            f.put((String) extra[i], extra[i + 1]);
        }
        f.put("policy_version", policyVersion);
        String prefix = switch (outcome) {
            case FIRED -> "";
            case SHADOWED -> "would have fired (shadow): ";
            case SUPPRESSED -> "suppressed by the rule's limit: ";
        };
        return new PolicyCommand.Emit(new Event(EventCode.POLICY_DECISION, rule.id(), prefix + what, f));
    }

    static Outcome outcome(Rule rule) {
        return rule.shadow() ? Outcome.SHADOWED : Outcome.FIRED;
    }
}
