package io.waveos.agent.supervision;

/** The timers a service arms. */
public enum TimerKind {
    /** Backoff elapsed: start again. */
    RESTART,
    /** Readiness did not succeed within the probe timeout. */
    READY_DEADLINE,
    /** Time for the next readiness probe attempt. */
    PROBE,
    /** The stop timeout elapsed: SIGKILL. */
    KILL,
    /** The process has run for the backoff reset period: forget earlier restarts. */
    STABLE
}
