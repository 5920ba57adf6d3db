package io.waveos.companion.frame;

/**
 * Byte layout of a raw (un-stuffed) frame, version 1. See {@code docs/companion-protocol.md},
 * section "Frame layout".
 *
 * <pre>
 * plain:          header | payload                       | crc32 LE
 * authenticated:  header | key id | counter LE64 | payload | tag[T] | crc32 LE
 * </pre>
 *
 * The tag is HMAC-SHA256(direction key, everything before it) truncated to T bytes; the CRC-32 covers
 * everything before it, tag included.
 */
public final class FrameLayout {

    /** Frame format version carried in the high nibble of the header. */
    public static final int VERSION = 1;
    /** Header flag: the authentication section and tag are present. */
    public static final int FLAG_AUTH = 0x01;
    /** Flags this version defines; every other low-nibble bit is reserved and must be 0. */
    public static final int KNOWN_FLAGS = FLAG_AUTH;

    public static final int HEADER_BYTES = 1;
    public static final int KEY_ID_BYTES = 1;
    public static final int COUNTER_BYTES = 8;
    public static final int CRC_BYTES = 4;
    public static final int MIN_TAG_BYTES = 8;
    public static final int MAX_TAG_BYTES = 32;
    public static final int DEFAULT_TAG_BYTES = 16;

    /** Offset of the key id in an authenticated frame. */
    static final int KEY_ID_OFFSET = HEADER_BYTES;
    /** Offset of the counter in an authenticated frame. */
    static final int COUNTER_OFFSET = KEY_ID_OFFSET + KEY_ID_BYTES;
    /** Offset of the payload in an authenticated frame. */
    static final int AUTH_PAYLOAD_OFFSET = COUNTER_OFFSET + COUNTER_BYTES;

    /** Shortest raw frame: a header, an empty payload and the CRC. */
    public static final int MIN_PLAIN_FRAME_BYTES = HEADER_BYTES + CRC_BYTES;

    private FrameLayout() {}

    /** The header byte for this version with the given flags. */
    static int header(boolean authenticated) {
        return (VERSION << 4) | (authenticated ? FLAG_AUTH : 0);
    }

    /** Bytes an authenticated frame adds to a plain one, for a tag of {@code tagBytes}. */
    public static int authOverhead(int tagBytes) {
        checkTagLength(tagBytes);
        return KEY_ID_BYTES + COUNTER_BYTES + tagBytes;
    }

    static void checkTagLength(int tagBytes) {
        if (tagBytes < MIN_TAG_BYTES || tagBytes > MAX_TAG_BYTES) {
            throw new IllegalArgumentException(
                    "tag length must be " + MIN_TAG_BYTES + ".." + MAX_TAG_BYTES + " bytes, was " + tagBytes);
        }
    }

    static void putLong(byte[] b, int off, long v) {
        for (int i = 0; i < 8; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }

    static long getLong(byte[] b, int off) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[off + i] & 0xFFL);
        }
        return v;
    }

    static void putInt(byte[] b, int off, int v) {
        for (int i = 0; i < 4; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }

    static int getInt(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16 | (b[off + 3] & 0xFF) << 24;
    }
}
