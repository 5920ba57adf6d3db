package io.waveos.agent.mode;

import io.waveos.agent.config.EscalationConfig;
import io.waveos.agent.config.ModesConfig;
import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.EventCode;
import java.util.ArrayList;
import java.util.List;

/**
 * The escalation ladder above the restart policy, as an explicit state machine over {@link Mode}.
 *
 * <pre>
 * NORMAL   --optional exceeded (degrade)-->  DEGRADED --retry period------------> NORMAL
 * NORMAL/DEGRADED --essential exceeded (safe_mode)--> SAFE --stable period------> NORMAL
 * SAFE     --essential exceeded again (reboot)--> controlled reboot (intent first)
 * any      --operator clear--> NORMAL
 * NORMAL/DEGRADED --Guardian safe-mode order--> SAFE (for at least the order's minimum duration)
 * NORMAL/DEGRADED --Guardian safe-mode line asserted--> SAFE (held: no exit while the line is asserted)
 * NORMAL(/DEGRADED) --policy breaker trips--> DEGRADED or SAFE (for at least the breaker's probe_after)
 * </pre>
 *
 * While the Guardian's safe-mode line is asserted SAFE is held: the stable period starts over instead
 * of ending SAFE, an operator clear is refused, and an approval that arrives is not acted on. Releasing
 * the line ends the hold only; SAFE then ends by the usual rules.
 *
 * When a Guardian gates it ({@code exitNeedsApproval}), leaving SAFE is asked first
 * ({@link ModeCommand.AskExitApproval}) and happens only on an approving
 * {@link ModeInput.ExitDecision}; a denial restarts the stable period.
 *
 * Pure: {@link #step} returns commands and does no I/O. Confined to the loop thread.
 */
public final class ModeMachine {
    /** The reason given when the Guardian's safe-mode line puts the device in SAFE. */
    public static final String SAFE_LINE_REASON = "guardian safe-mode line asserted";

    private final EscalationConfig escalation;
    private final ModesConfig periods;
    private final boolean exitNeedsApproval;
    private Mode mode = Mode.NORMAL;
    private long token;
    private java.util.Optional<String> exitAsked = java.util.Optional.empty();
    private java.time.Duration safeAtLeast = java.time.Duration.ZERO;
    private boolean lineHeld;

    public ModeMachine(EscalationConfig escalation, ModesConfig periods) {
        this(escalation, periods, false);
    }

    /** @param exitNeedsApproval a Guardian must approve leaving SAFE */
    public ModeMachine(EscalationConfig escalation, ModesConfig periods, boolean exitNeedsApproval) {
        this.escalation = escalation;
        this.periods = periods;
        this.exitNeedsApproval = exitNeedsApproval;
    }

    public Mode mode() {
        return mode;
    }

    public List<ModeCommand> step(ModeInput input) {
        List<ModeCommand> out = new ArrayList<>();
        if (input instanceof ModeInput.IntensityExceeded x) {
            if (x.essential()) {
                onEssentialExceeded(x, out);
            } else {
                onOptionalExceeded(x, out);
            }
        } else if (input instanceof ModeInput.EssentialExited x) {
            onEssentialExited(x, out);
        } else if (input instanceof ModeInput.TimerFired t) {
            onTimer(t, out);
        } else if (input instanceof ModeInput.OperatorClear c) {
            onOperatorClear(c, out);
        } else if (input instanceof ModeInput.GuardianOrder g) {
            onGuardianOrder(g, out);
        } else if (input instanceof ModeInput.ExitDecision d) {
            onExitDecision(d, out);
        } else if (input instanceof ModeInput.PolicyOrder p) {
            onPolicyOrder(p, out);
        } else if (input instanceof ModeInput.SafeModeLine l) {
            lineHeld = l.asserted();
            if (l.asserted()) {
                onGuardianOrder(new ModeInput.GuardianOrder(SAFE_LINE_REASON, java.time.Duration.ZERO), out);
            }
        }
        return out;
    }

    private void onOptionalExceeded(ModeInput.IntensityExceeded x, List<ModeCommand> out) {
        switch (escalation.optional()) {
            case STOP -> out.add(emit(EventCode.SERVICE_DISABLED, x.service(),
                    "escalation.optional is stop: " + x.reason()));
            case DEGRADE -> {
                out.add(emit(EventCode.SERVICE_DISABLED, x.service(), "optional service disabled: " + x.reason()));
                switch (mode) {
                    case NORMAL -> {
                        enter(Mode.DEGRADED, "optional service " + x.service() + " exceeded its restart intensity", out);
                        out.add(new ModeCommand.ArmTimer(ModeTimer.DEGRADED_RETRY, periods.degradedRetryAfter(), token));
                    }
                    case DEGRADED, SAFE -> { }
                }
            }
        }
    }

    private void onEssentialExceeded(ModeInput.IntensityExceeded x, List<ModeCommand> out) {
        switch (mode) {
            case NORMAL, DEGRADED -> {
                switch (escalation.essential()) {
                    case SAFE_MODE -> {
                        enter(Mode.SAFE, "essential service " + x.service() + " exceeded its restart intensity: "
                                + x.reason(), out);
                        out.add(new ModeCommand.SetSafe(true));
                        out.add(new ModeCommand.Enable(x.service(), "retried in SAFE mode with a fresh restart history"));
                        out.add(new ModeCommand.ArmTimer(ModeTimer.SAFE_EXIT, periods.safeExitAfter(), token));
                    }
                    case REBOOT -> out.add(new ModeCommand.Reboot("essential service " + x.service()
                            + " exceeded its restart intensity and escalation.essential is reboot: " + x.reason()));
                }
            }
            case SAFE -> {
                switch (escalation.inSafeMode()) {
                    case REBOOT -> out.add(new ModeCommand.Reboot("essential service " + x.service()
                            + " kept failing in SAFE mode: " + x.reason()));
                    case STAY -> out.add(emit(EventCode.SERVICE_DISABLED, x.service(),
                            "kept failing in SAFE mode and escalation.in_safe_mode is stay: " + x.reason()));
                }
            }
        }
    }

    private void onEssentialExited(ModeInput.EssentialExited x, List<ModeCommand> out) {
        switch (mode) {
            case SAFE -> {
                // Hysteresis: the stable period starts again at every essential failure.
                token++;
                out.add(new ModeCommand.ArmTimer(ModeTimer.SAFE_EXIT, stablePeriod(), token));
            }
            case NORMAL, DEGRADED -> { }
        }
    }

    private void onTimer(ModeInput.TimerFired t, List<ModeCommand> out) {
        if (t.token() != token) {
            return;
        }
        switch (t.timer()) {
            case SAFE_EXIT -> {
                if (mode == Mode.SAFE && lineHeld) {
                    out.add(emit(EventCode.COMPANION_SAFE_LINE, "mode", "SAFE kept: the Guardian's safe-mode line "
                            + "is still asserted; the stable period starts over"));
                    token++;
                    out.add(new ModeCommand.ArmTimer(ModeTimer.SAFE_EXIT, stablePeriod(), token));
                } else if (mode == Mode.SAFE) {
                    leaveSafe("no essential service failed for " + stablePeriod().toSeconds() + "s", out);
                }
            }
            case DEGRADED_RETRY -> {
                if (mode == Mode.DEGRADED) {
                    backToNormal("retrying disabled services after " + periods.degradedRetryAfter().toSeconds()
                            + "s in DEGRADED", out);
                }
            }
        }
    }

    private void onOperatorClear(ModeInput.OperatorClear c, List<ModeCommand> out) {
        out.add(emit(EventCode.OPERATOR_COMMAND, "mode", "operator " + c.operator() + " asked for NORMAL"));
        switch (mode) {
            case SAFE -> {
                if (lineHeld) {
                    out.add(emit(EventCode.COMPANION_SAFE_LINE, "mode", "operator " + c.operator() + " cannot clear "
                            + "SAFE: the Guardian's safe-mode line is asserted"));
                } else {
                    leaveSafe("operator " + c.operator() + " cleared SAFE", out);
                }
            }
            case DEGRADED -> backToNormal("operator " + c.operator() + " cleared DEGRADED", out);
            case NORMAL -> { }
        }
    }

    private void leaveSafe(String reason, List<ModeCommand> out) {
        if (!exitNeedsApproval) {
            backToNormal(reason, out);
            return;
        }
        if (exitAsked.isEmpty()) {
            exitAsked = java.util.Optional.of(reason);
            out.add(new ModeCommand.AskExitApproval(reason));
        }
    }

    private void onExitDecision(ModeInput.ExitDecision d, List<ModeCommand> out) {
        java.util.Optional<String> asked = exitAsked;
        exitAsked = java.util.Optional.empty();
        if (asked.isEmpty() || mode != Mode.SAFE) {
            return; // answered after SAFE ended another way
        }
        if (d.approved() && !lineHeld) {
            backToNormal(asked.get() + "; leaving SAFE approved: " + d.reason(), out);
        } else {
            // A refusal is recorded where it was decided (companion.approval_decided); a held line here.
            if (d.approved()) {
                out.add(emit(EventCode.COMPANION_SAFE_LINE, "mode", "leaving SAFE was approved, but the Guardian's "
                        + "safe-mode line was asserted meanwhile; SAFE kept"));
            }
            token++;
            out.add(new ModeCommand.ArmTimer(ModeTimer.SAFE_EXIT, stablePeriod(), token));
        }
    }

    private void onGuardianOrder(ModeInput.GuardianOrder g, List<ModeCommand> out) {
        // Never shorter than an order already in force (the line is asserted along with each order).
        safeAtLeast = g.minDuration().compareTo(safeAtLeast) > 0 ? g.minDuration() : safeAtLeast;
        switch (mode) {
            case NORMAL, DEGRADED -> {
                enter(Mode.SAFE, "the Guardian ordered SAFE: " + g.reason(), out);
                out.add(new ModeCommand.SetSafe(true));
            }
            case SAFE -> {
                token++;
                out.add(emit(EventCode.COMPANION_SAFE_ORDER, "mode", "the Guardian ordered SAFE again while in SAFE; "
                        + "the stable period starts over: " + g.reason()));
            }
        }
        out.add(new ModeCommand.ArmTimer(ModeTimer.SAFE_EXIT, stablePeriod(), token));
    }

    /** A policy breaker tripped: as a Guardian order for SAFE; DEGRADED retries no earlier than asked. */
    private void onPolicyOrder(ModeInput.PolicyOrder p, List<ModeCommand> out) {
        String why = "policy rule " + p.rule() + ": " + p.reason();
        switch (p.target()) {
            case SAFE -> {
                safeAtLeast = p.minDuration().compareTo(safeAtLeast) > 0 ? p.minDuration() : safeAtLeast;
                switch (mode) {
                    case NORMAL, DEGRADED -> {
                        enter(Mode.SAFE, why, out);
                        out.add(new ModeCommand.SetSafe(true));
                    }
                    case SAFE -> token++;
                }
                out.add(new ModeCommand.ArmTimer(ModeTimer.SAFE_EXIT, stablePeriod(), token));
            }
            case DEGRADED -> {
                switch (mode) {
                    case NORMAL -> {
                        enter(Mode.DEGRADED, why, out);
                        java.time.Duration retry = periods.degradedRetryAfter().compareTo(p.minDuration()) >= 0
                                ? periods.degradedRetryAfter() : p.minDuration();
                        out.add(new ModeCommand.ArmTimer(ModeTimer.DEGRADED_RETRY, retry, token));
                    }
                    case DEGRADED, SAFE -> { }
                }
            }
            case NORMAL -> throw new IllegalArgumentException("a policy orders SAFE or DEGRADED");
        }
    }

    /** The stable period before SAFE may end: the configured one, or a Guardian order's minimum. */
    private java.time.Duration stablePeriod() {
        return periods.safeExitAfter().compareTo(safeAtLeast) >= 0 ? periods.safeExitAfter() : safeAtLeast;
    }

    private void backToNormal(String reason, List<ModeCommand> out) {
        boolean wasSafe = mode == Mode.SAFE;
        safeAtLeast = java.time.Duration.ZERO;
        exitAsked = java.util.Optional.empty();
        enter(Mode.NORMAL, reason, out);
        if (wasSafe) {
            out.add(new ModeCommand.SetSafe(false));
        }
        out.add(new ModeCommand.EnableAll(reason));
    }

    private void enter(Mode next, String reason, List<ModeCommand> out) {
        Mode from = mode;
        mode = next;
        token++;
        out.add(new ModeCommand.Emit(Event.of(EventCode.MODE_CHANGED, "mode", reason, "from", from.name(), "to",
                next.name())));
    }

    private static ModeCommand emit(EventCode code, String subject, String reason) {
        return new ModeCommand.Emit(Event.of(code, subject, reason));
    }
}
