package io.waveos.companion.guardian;

/** What happened, as a stable code in the Guardian's log. */
public enum GuardianCode {
    /** The Guardian started; details: boot counter, pending witnesses. */
    GUARDIAN_STARTED,
    /** The Guardian is stopping. */
    GUARDIAN_STOPPED,
    /** The companion link came up. */
    LINK_UP,
    /** The companion link went down; reason: the link's reason. */
    LINK_DOWN,
    /** The device restarted (a new boot id); the Guardian did not reset it if not preceded by DEVICE_RESET. */
    DEVICE_RESTARTED,
    /** The Guardian pulled the reset line; reason: a {@link ResetReason}. Durable. */
    DEVICE_RESET,
    /** A reset was due but the rate limit forbade it; reason: a {@link ResetReason}. Durable. */
    DEVICE_RESET_SUPPRESSED,
    /** Pending reset witnesses were sent and the device has been heard from since. */
    WITNESS_REPORTED,
    /** A command request was approved; rule: the rule that decided. Durable. */
    COMMAND_APPROVED,
    /** A command request was denied; reason: the decision reason, rule: the rule. Durable. */
    COMMAND_DENIED,
    /** A request id decided before arrived again and got the same decision. */
    COMMAND_REPEATED,
    /** The link refused the device's Hello (version, pairing); reason: the link's text. */
    HANDSHAKE_REFUSED,
    /** A message to the device could not be sent (no session, too large, counter storage failed). */
    NOT_SENT,
    /** The trend detector ordered safe mode; the safe-mode line is asserted. Durable. */
    SAFE_MODE_ORDERED,
    /** The minimum duration of the last order passed; the safe-mode line is released. */
    SAFE_MODE_LINE_RELEASED,
    /** The device reported a link error. */
    PEER_ERROR,
    /** The Guardian's own state could not be read or written; details say what. Durable. */
    STATE_ERROR
}
