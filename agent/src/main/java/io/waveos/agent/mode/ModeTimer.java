package io.waveos.agent.mode;

/** Timers of the mode machine. */
public enum ModeTimer {
    /** SAFE has been stable (no essential exit) for {@code modes.safe_exit_after}. */
    SAFE_EXIT,
    /** DEGRADED has lasted {@code modes.degraded_retry_after}: retry the disabled services. */
    DEGRADED_RETRY
}
