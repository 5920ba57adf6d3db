package io.waveos.companion.guardian;

import io.waveos.companion.proto.ResetWitness;

/** What the {@link HeartbeatWatchdog} decided at a heartbeat or a tick. */
public sealed interface WatchdogOutcome {

    ResetReason reason();

    /** Human explanation, for the log. */
    String text();

    /**
     * Reset the device now. The witness describes what the watchdog saw; it must be persisted before
     * the line is pulsed.
     */
    record ResetDevice(ResetReason reason, String text, ResetWitness witness) implements WatchdogOutcome {
    }

    /**
     * A reset was due but the rate limit forbids it; reported once per episode. The watchdog retries at
     * its ticks and resets as soon as the limit allows, unless the device recovers first.
     *
     * @param retryAtNanos when the rate limit next allows a reset
     */
    record ResetSuppressed(ResetReason reason, String text, long retryAtNanos) implements WatchdogOutcome {
    }
}
