package io.waveos.companion.guardian;

import io.waveos.companion.proto.CommandKind;
import io.waveos.companion.proto.CommandRequest;
import io.waveos.companion.proto.DecisionReason;
import io.waveos.companion.proto.Risk;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Approves or denies the device's command requests. The rules, in the order they are tried (the first
 * that decides wins):
 * <ol>
 *   <li>{@value #RULE_UNSUPPORTED_KIND}: a kind this Guardian does not know is denied
 *       (UNSUPPORTED_KIND): a gate fails closed.
 *   <li>{@code deny-pattern:NAME}: a configured known-bad pattern matches (KNOWN_BAD_PATTERN).
 *   <li>{@value #RULE_SAFE_MODE_ORDER}: leaving SAFE while the Guardian's own safe-mode order is in
 *       force (SAFE_MODE_ORDERED).
 *   <li>{@value #RULE_DEGRADED}: a risky command (risk HIGH, or a risky kind) while health is
 *       degraded (HEALTH_DEGRADED). For SAFE_MODE_EXIT the device's mode does not count (it is SAFE by
 *       definition); its memory, errors and temperature do.
 *   <li>{@value #RULE_REBOOT_RATE}: a REBOOT beyond the configured number of approvals per window
 *       (RATE_LIMITED).
 *   <li>{@value #RULE_DEFAULT}: everything else is approved (ALLOWED).
 * </ol>
 * A repeated request id gets the decision already made, and is not counted again (the device
 * retransmits, and a request may arrive again after a link reset).
 *
 * <p>Pure and not thread-safe: owned by the Guardian's loop, driven with the monotonic time.
 */
public final class CommandGate {
    public static final String RULE_UNSUPPORTED_KIND = "unsupported-kind";
    public static final String RULE_SAFE_MODE_ORDER = "safe-mode-order-in-force";
    public static final String RULE_DEGRADED = "deny-risky-while-degraded";
    public static final String RULE_REBOOT_RATE = "reboot-rate-limit";
    public static final String RULE_DEFAULT = "default-approve";

    /**
     * A decision and whether it was made earlier for the same id.
     *
     * @param decision the decision to send
     * @param repeated true when the id was decided before: nothing was evaluated or counted
     */
    public record Verdict(GateDecision decision, boolean repeated) {
    }

    private final GateConfig config;
    private final Deque<Long> approvedReboots = new ArrayDeque<>();
    private final Map<String, GateDecision> decided;

    public CommandGate(GateConfig config) {
        this.config = config;
        int capacity = config.rememberedDecisions();
        this.decided = new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, GateDecision> eldest) {
                return size() > capacity;
            }
        };
    }

    /**
     * Decides {@code request}.
     *
     * @param health what the Guardian last heard about the device
     * @param safeModeOrderedUntilNanos the end of the minimum duration of the Guardian's latest
     *     safe-mode order, if one was given
     */
    public Verdict decide(CommandRequest request, long nowNanos, DeviceHealth health,
            OptionalLong safeModeOrderedUntilNanos) {
        GateDecision earlier = decided.get(request.getId());
        if (earlier != null) {
            return new Verdict(earlier, true);
        }
        GateDecision decision = evaluate(request, nowNanos, health, safeModeOrderedUntilNanos);
        if (decision.approve() && request.getKind() == CommandKind.COMMAND_KIND_REBOOT) {
            approvedReboots.addLast(nowNanos);
        }
        decided.put(request.getId(), decision);
        return new Verdict(decision, false);
    }

    private GateDecision evaluate(CommandRequest request, long nowNanos, DeviceHealth health,
            OptionalLong safeModeOrderedUntilNanos) {
        String id = request.getId();
        CommandKind kind = request.getKind();
        if (kind == CommandKind.COMMAND_KIND_UNSPECIFIED || kind == CommandKind.UNRECOGNIZED) {
            return deny(id, DecisionReason.DECISION_REASON_UNSUPPORTED_KIND, RULE_UNSUPPORTED_KIND,
                    "command kind " + request.getKindValue() + " is not known to this Guardian");
        }
        for (DenyPattern pattern : config.denyPatterns()) {
            if (pattern.matches(request)) {
                return deny(id, DecisionReason.DECISION_REASON_KNOWN_BAD_PATTERN, pattern.ruleName(),
                        kindName(kind) + " with " + pattern.parameter() + "="
                                + request.getParametersMap().get(pattern.parameter()) + " is a known-bad pattern"
                                + (pattern.why().isEmpty() ? "" : ": " + pattern.why()));
            }
        }
        if (kind == CommandKind.COMMAND_KIND_SAFE_MODE_EXIT && safeModeOrderedUntilNanos.isPresent()
                && nowNanos < safeModeOrderedUntilNanos.getAsLong()) {
            return deny(id, DecisionReason.DECISION_REASON_SAFE_MODE_ORDERED, RULE_SAFE_MODE_ORDER,
                    "the Guardian ordered safe mode; its minimum duration ends in "
                            + DurationText.ofNanos(safeModeOrderedUntilNanos.getAsLong() - nowNanos));
        }
        if (isRisky(request)) {
            // Leaving SAFE is what a device in SAFE asks for: its mode alone must not deny it forever.
            boolean countMode = kind != CommandKind.COMMAND_KIND_SAFE_MODE_EXIT;
            Optional<String> degradation = config.degraded().degradation(health, nowNanos, countMode);
            if (degradation.isPresent()) {
                return deny(id, DecisionReason.DECISION_REASON_HEALTH_DEGRADED, RULE_DEGRADED,
                        kindName(kind) + " is risky and health is degraded: " + degradation.get());
            }
        }
        if (kind == CommandKind.COMMAND_KIND_REBOOT) {
            long window = config.rebootWindow().toNanos();
            while (!approvedReboots.isEmpty() && nowNanos - approvedReboots.peekFirst() >= window) {
                approvedReboots.removeFirst();
            }
            if (approvedReboots.size() >= config.maxReboots()) {
                return deny(id, DecisionReason.DECISION_REASON_RATE_LIMITED, RULE_REBOOT_RATE,
                        approvedReboots.size() + " reboots approved within " + DurationText.of(config.rebootWindow())
                                + " (limit " + config.maxReboots() + "); next allowed in "
                                + DurationText.ofNanos(approvedReboots.isEmpty() ? 0
                                        : approvedReboots.peekFirst() + window - nowNanos));
            }
        }
        return new GateDecision(id, true, DecisionReason.DECISION_REASON_ALLOWED, RULE_DEFAULT,
                kindName(kind) + " approved: no rule objects");
    }

    /** Risk HIGH, or a kind configured as risky. */
    private boolean isRisky(CommandRequest request) {
        return request.getRisk() == Risk.RISK_HIGH || config.riskyKinds().contains(request.getKind());
    }

    private static GateDecision deny(String id, DecisionReason reason, String rule, String text) {
        return new GateDecision(id, false, reason, rule, text);
    }

    private static String kindName(CommandKind kind) {
        return kind.name().substring("COMMAND_KIND_".length());
    }
}
