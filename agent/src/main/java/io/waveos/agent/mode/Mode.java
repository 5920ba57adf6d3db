package io.waveos.agent.mode;

/** The agent's operating mode. */
public enum Mode {
    /** Everything runs. */
    NORMAL,
    /** An optional service exceeded its restart intensity and was stopped; the rest runs. */
    DEGRADED,
    /** An essential service kept failing: only essential and safe-mode services run. */
    SAFE
}
