package io.waveos.agent.supervision;

/**
 * Receives what the supervisor cannot decide alone: the next rung of the escalation ladder.
 * Implemented by the mode capability. Called on the loop thread.
 */
public interface Escalations {
    /** {@code service} exceeded its restart intensity and is now DISABLED. */
    void intensityExceeded(ServiceMachine service, String reason);

    /** An essential service exited (counted for SAFE-mode hysteresis). */
    void essentialExited(ServiceMachine service);
}
