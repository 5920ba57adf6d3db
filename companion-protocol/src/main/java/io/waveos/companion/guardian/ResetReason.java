package io.waveos.companion.guardian;

/** Why the {@link HeartbeatWatchdog} resets the device; a stable code for logs and witnesses. */
public enum ResetReason {
    /** Heartbeats stopped for longer than the grace period. */
    HEARTBEATS_STOPPED,
    /** Consecutive heartbeats reported a stuck or late event loop. */
    LOOP_STUCK,
    /** After a reset (or the Guardian's start), no heartbeat arrived within the boot grace. */
    NO_HEARTBEAT_AFTER_BOOT
}
