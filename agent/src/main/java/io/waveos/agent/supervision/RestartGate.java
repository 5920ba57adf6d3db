package io.waveos.agent.supervision;

import java.time.Duration;

/**
 * Consulted by the restart ladder before each restart it schedules, so that a policy can hold a
 * restart back ("at most 3 restarts of the modem per hour"). Called on the loop thread, from inside
 * {@link ServiceMachine#step}; must not call back into the supervisor.
 */
@FunctionalInterface
public interface RestartGate {
    /** Lets every restart happen after its backoff. */
    RestartGate OPEN = (service, nowNanos, backoff) -> backoff;

    /**
     * The delay before the restart of {@code service} that the ladder wants after {@code backoff}.
     * Returns {@code backoff} to let it happen then, or a longer delay to hold it back; the gate
     * counts the restart as happening at {@code nowNanos} plus the returned delay.
     */
    Duration delay(String service, long nowNanos, Duration backoff);
}
