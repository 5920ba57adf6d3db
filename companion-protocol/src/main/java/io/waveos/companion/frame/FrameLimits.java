package io.waveos.companion.frame;

/**
 * Size limits of one link. Both ends of a link must use the same limits.
 *
 * @param maxEncodedBytes the longest COBS-encoded frame, excluding its 0x00 delimiter; the decoder's
 *     buffer is this big and a longer frame is dropped as {@link DropReason#OVERSIZE}
 */
public record FrameLimits(int maxEncodedBytes) {

    public static final int DEFAULT_MAX_ENCODED_BYTES = 512;
    /** Smallest limit that still fits an authenticated frame with a 32-byte tag and some payload. */
    public static final int MIN_MAX_ENCODED_BYTES = 64;
    /** Largest limit; keeps the decoder's fixed buffers small. */
    public static final int MAX_MAX_ENCODED_BYTES = 16 * 1024;

    public static final FrameLimits DEFAULT = new FrameLimits(DEFAULT_MAX_ENCODED_BYTES);

    public FrameLimits {
        if (maxEncodedBytes < MIN_MAX_ENCODED_BYTES || maxEncodedBytes > MAX_MAX_ENCODED_BYTES) {
            throw new IllegalArgumentException("maxEncodedBytes must be " + MIN_MAX_ENCODED_BYTES + ".."
                    + MAX_MAX_ENCODED_BYTES + ", was " + maxEncodedBytes);
        }
    }

    /** The longest raw frame whose COBS encoding, in the worst case, fits {@link #maxEncodedBytes}. */
    public int maxRawBytes() {
        int n = maxEncodedBytes - 1;
        while (Cobs.maxEncodedLength(n) > maxEncodedBytes) {
            n--;
        }
        return n;
    }

    /** The largest payload of a plain frame. */
    public int maxPlainPayloadBytes() {
        return maxRawBytes() - FrameLayout.HEADER_BYTES - FrameLayout.CRC_BYTES;
    }

    /** The largest payload of an authenticated frame with a tag of {@code tagBytes}. */
    public int maxAuthenticatedPayloadBytes(int tagBytes) {
        return maxPlainPayloadBytes() - FrameLayout.authOverhead(tagBytes);
    }
}
