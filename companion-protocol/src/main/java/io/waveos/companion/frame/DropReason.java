package io.waveos.companion.frame;

/**
 * Why the decoder dropped a frame, in the order the checks run. Each is counted separately
 * ({@link FrameDecoder#dropCounts()}). See {@code docs/companion-protocol.md}, "Error handling".
 */
public enum DropReason {
    /** More than {@link FrameLimits#maxEncodedBytes()} bytes without a delimiter (garbage, lost delimiter). */
    OVERSIZE,
    /** The bytes between two delimiters are not a canonical COBS encoding. */
    BAD_COBS,
    /** Shorter than the smallest frame of its kind. */
    TOO_SHORT,
    /** The CRC-32 trailer does not match. */
    BAD_CRC,
    /** The header's version is not {@link FrameLayout#VERSION}. */
    BAD_VERSION,
    /** A reserved header flag is set. */
    BAD_FLAGS,
    /** A plain frame arrived on a link that has a key (fail closed). */
    UNAUTHENTICATED,
    /** An authenticated frame names a key id this receiver does not hold (or holds no keys at all). */
    UNKNOWN_KEY,
    /** The HMAC tag does not match. */
    BAD_TAG,
    /** Authentic, but its counter is not above the last accepted one. */
    REPLAY
}
