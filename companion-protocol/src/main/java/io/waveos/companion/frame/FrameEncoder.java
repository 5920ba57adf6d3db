package io.waveos.companion.frame;

import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * Turns a {@link Frame} into wire bytes: COBS(header | [key id | counter] | payload | [tag] | CRC-32)
 * followed by one 0x00 delimiter.
 *
 * <p>The output depends only on the frame and the configuration (the same frame always encodes to
 * the same bytes). Choosing counters is the caller's job ({@link CounterReservation}). An encoder
 * configured with a key refuses plain frames, so a link with a key never sends unauthenticated
 * frames. Not thread-safe: it reuses internal buffers.
 */
public final class FrameEncoder {

    private final FrameLimits limits;
    private final int tagBytes;
    private final HmacTag sendTag;
    private final int maxPayloadBytes;
    private final byte[] raw;
    private final byte[] encoded;
    private final CRC32 crc = new CRC32();

    private FrameEncoder(FrameLimits limits, int tagBytes, HmacTag sendTag) {
        this.limits = limits;
        this.tagBytes = tagBytes;
        this.sendTag = sendTag;
        this.maxPayloadBytes = sendTag == null
                ? limits.maxPlainPayloadBytes()
                : limits.maxAuthenticatedPayloadBytes(tagBytes);
        this.raw = new byte[limits.maxRawBytes()];
        this.encoded = new byte[limits.maxEncodedBytes() + 1];
    }

    /** An encoder for a link without keys: it only encodes plain frames. */
    public static FrameEncoder plain(FrameLimits limits) {
        return new FrameEncoder(limits, 0, null);
    }

    /** An encoder that signs with {@code auth.sendKey()}: it only encodes authenticated frames. */
    public static FrameEncoder authenticated(FrameLimits limits, LinkAuth auth) {
        return new FrameEncoder(limits, auth.tagBytes(), new HmacTag(auth.sendKey()));
    }

    /** The largest payload this encoder accepts. */
    public int maxPayloadBytes() {
        return maxPayloadBytes;
    }

    /** Whether this encoder signs frames (and refuses plain ones). */
    public boolean authenticates() {
        return sendTag != null;
    }

    /**
     * The key id authenticated frames must name.
     *
     * @throws IllegalStateException if this encoder has no key
     */
    public int sendKeyId() {
        if (sendTag == null) {
            throw new IllegalStateException("this encoder has no key");
        }
        return sendTag.keyId();
    }

    /** The limits this encoder was built with. */
    public FrameLimits limits() {
        return limits;
    }

    /**
     * Encodes one frame, delimiter included.
     *
     * @throws IllegalArgumentException if the payload is longer than {@link #maxPayloadBytes()}, if the
     *     frame is plain and this encoder has a key, if it is authenticated and this encoder has none,
     *     or if its key id is not this encoder's send key
     */
    public byte[] encode(Frame frame) {
        int n = encode(frame, encoded, 0);
        return Arrays.copyOf(encoded, n);
    }

    /**
     * Encodes one frame, delimiter included, into {@code out} at {@code off}, which must have room for
     * {@code limits().maxEncodedBytes() + 1} bytes.
     *
     * @return the number of bytes written
     * @throws IllegalArgumentException as {@link #encode(Frame)}
     */
    public int encode(Frame frame, byte[] out, int off) {
        int payloadLength = frame.payloadLength();
        if (payloadLength > maxPayloadBytes) {
            throw new IllegalArgumentException(
                    "payload of " + payloadLength + " bytes exceeds the limit of " + maxPayloadBytes);
        }
        int n = frame.authenticated() ? writeAuthenticated(frame) : writePlain(frame);
        crc.reset();
        crc.update(raw, 0, n);
        FrameLayout.putInt(raw, n, (int) crc.getValue());
        n += FrameLayout.CRC_BYTES;
        int written = Cobs.encode(raw, 0, n, out, off);
        out[off + written] = 0;
        return written + 1;
    }

    private int writePlain(Frame frame) {
        if (sendTag != null) {
            throw new IllegalArgumentException("this link has a key: plain frames are refused (fail closed)");
        }
        raw[0] = (byte) FrameLayout.header(false);
        System.arraycopy(frame.payloadUnsafe(), 0, raw, FrameLayout.HEADER_BYTES, frame.payloadLength());
        return FrameLayout.HEADER_BYTES + frame.payloadLength();
    }

    private int writeAuthenticated(Frame frame) {
        if (sendTag == null) {
            throw new IllegalArgumentException("this encoder has no key: it cannot authenticate frames");
        }
        if (frame.keyId() != sendTag.keyId()) {
            throw new IllegalArgumentException(
                    "frame names key " + frame.keyId() + " but this encoder signs with key " + sendTag.keyId());
        }
        raw[0] = (byte) FrameLayout.header(true);
        raw[FrameLayout.KEY_ID_OFFSET] = (byte) frame.keyId();
        FrameLayout.putLong(raw, FrameLayout.COUNTER_OFFSET, frame.counter());
        System.arraycopy(frame.payloadUnsafe(), 0, raw, FrameLayout.AUTH_PAYLOAD_OFFSET, frame.payloadLength());
        int signed = FrameLayout.AUTH_PAYLOAD_OFFSET + frame.payloadLength();
        byte[] tag = sendTag.compute(raw, 0, signed);
        System.arraycopy(tag, 0, raw, signed, tagBytes);
        return signed + tagBytes;
    }
}
