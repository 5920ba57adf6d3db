package io.waveos.agent.mode;

/** What the mode machine reacts to. */
public sealed interface ModeInput {
    /** A service exceeded its restart intensity (the supervisor has disabled it). */
    record IntensityExceeded(String service, boolean essential, String reason) implements ModeInput {
    }

    /** An essential service exited (restarts the SAFE stability period). */
    record EssentialExited(String service) implements ModeInput {
    }

    record TimerFired(ModeTimer timer, long token) implements ModeInput {
    }

    /** The Guardian ordered SAFE mode (it predicts a failure); stay at least {@code minDuration}. */
    record GuardianOrder(String reason, java.time.Duration minDuration) implements ModeInput {
    }

    /**
     * The Guardian's safe-mode GPIO line changed. Asserted: enter SAFE as for a {@link GuardianOrder}
     * (reason {@link ModeMachine#SAFE_LINE_REASON}) and stay while it stays asserted. Released: nothing
     * by itself; SAFE then ends by its usual rules.
     */
    record SafeModeLine(boolean asserted) implements ModeInput {
    }

    /** The answer to {@link ModeCommand.AskExitApproval}: may SAFE be left now? */
    record ExitDecision(boolean approved, String reason) implements ModeInput {
    }

    /** An operator asked to return to NORMAL. */
    record OperatorClear(String operator) implements ModeInput {
    }

    /**
     * A policy rule (a circuit breaker) ordered {@code target} (SAFE or DEGRADED) for at least
     * {@code minDuration}; the mode is then left by its usual rules.
     */
    record PolicyOrder(String rule, Mode target, String reason, java.time.Duration minDuration) implements ModeInput {
        public PolicyOrder {
            if (target == Mode.NORMAL) {
                throw new IllegalArgumentException("a policy orders SAFE or DEGRADED, not NORMAL");
            }
        }
    }
}
