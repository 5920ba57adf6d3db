package io.waveos.agent.evidence;

import java.util.Locale;

/** Why an evidence pack is made. */
public enum IncidentKind {
    /** A service exceeded its restart intensity. */
    CRASH_LOOP,
    /** The agent entered SAFE mode. */
    SAFE_MODE,
    /** An update was rolled back. */
    ROLLBACK,
    /** The previous run ended in a watchdog reset. */
    WATCHDOG_RESET,
    /** The Guardian reset the device. */
    GUARDIAN_RESET,
    /** A policy circuit breaker tripped. */
    BREAKER_TRIP,
    /** A policy rule's {@code notify} action fired. */
    POLICY_NOTIFY,
    /** The periodic pack. */
    SCHEDULED,
    /** Asked for by an operator (CLI or API). */
    OPERATOR;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
