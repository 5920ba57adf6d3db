package io.waveos.companion.frame;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * Turns a byte stream, fed in chunks of any size, into whole verified {@link Frame}s.
 *
 * <p>Memory is fixed at construction: one buffer of {@link FrameLimits#maxEncodedBytes()} for the frame
 * being received and one for its decoding. A frame is only considered at a 0x00 delimiter; bytes that
 * overflow the buffer are discarded up to the next delimiter, where the decoder resynchronises.
 * Empty frames (consecutive delimiters) are ignored and not counted.
 *
 * <p>Checks run in this order and the first failure drops the frame and counts its
 * {@link DropReason}: COBS, minimum length, CRC-32, version, reserved flags, then authentication. With
 * a key configured, plain frames are refused (fail closed); the tag is compared in constant time; the
 * counter must be above the last accepted one (checked after the tag, so only authentic frames are
 * counted as replays and noise can never move the counter).
 *
 * <p>Not thread-safe: one decoder per receive direction, used by one thread.
 */
public final class FrameDecoder {

    private final int tagBytes;
    private final HmacTag[] receiveTags;
    private final byte[] encoded;
    private final byte[] raw;
    private final byte[] expectedTag;
    private final byte[] receivedTag;
    private final CRC32 crc = new CRC32();
    private final long[] drops = new long[DropReason.values().length];
    private final List<Frame> completed = new ArrayList<>();
    private int length;
    private boolean discarding;
    private long lastAcceptedCounter;
    private long acceptedFrames;

    private FrameDecoder(FrameLimits limits, int tagBytes, HmacTag[] receiveTags, long lastAcceptedCounter) {
        this.tagBytes = tagBytes;
        this.receiveTags = receiveTags;
        this.encoded = new byte[limits.maxEncodedBytes()];
        this.raw = new byte[limits.maxEncodedBytes()];
        this.expectedTag = new byte[tagBytes];
        this.receivedTag = new byte[tagBytes];
        this.lastAcceptedCounter = lastAcceptedCounter;
    }

    /** A decoder for a link without keys: accepts plain frames, drops authenticated ones as {@link DropReason#UNKNOWN_KEY}. */
    public static FrameDecoder plain(FrameLimits limits) {
        return new FrameDecoder(limits, 0, new HmacTag[0], 0);
    }

    /**
     * A decoder for a link with keys: accepts only frames authenticated with one of
     * {@code auth.receiveKeys()} whose counter is above {@code lastAcceptedCounter} (unsigned; 0 when
     * nothing was accepted yet).
     */
    public static FrameDecoder authenticated(FrameLimits limits, LinkAuth auth, long lastAcceptedCounter) {
        HmacTag[] tags = new HmacTag[auth.receiveKeys().size()];
        for (int i = 0; i < tags.length; i++) {
            tags[i] = new HmacTag(auth.receiveKeys().get(i));
        }
        return new FrameDecoder(limits, auth.tagBytes(), tags, lastAcceptedCounter);
    }

    /**
     * Consumes {@code buf[off, off+len)} and returns the frames it completed, in order (an unmodifiable
     * list, often empty). Never throws for any content of the bytes.
     *
     * @throws IndexOutOfBoundsException if {@code off} and {@code len} do not describe a range of {@code buf}
     */
    public List<Frame> feed(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        completed.clear();
        int end = off + len;
        int i = off;
        while (i < end) {
            int delimiter = i;
            while (delimiter < end && buf[delimiter] != 0) {
                delimiter++;
            }
            int run = delimiter - i;
            if (!discarding) {
                if (run > encoded.length - length) {
                    // Oversize: drop what we hold and everything up to the next delimiter.
                    drops[DropReason.OVERSIZE.ordinal()]++;
                    discarding = true;
                    length = 0;
                } else {
                    System.arraycopy(buf, i, encoded, length, run);
                    length += run;
                }
            }
            if (delimiter == end) {
                break;
            }
            if (!discarding && length > 0) {
                verify();
            }
            discarding = false;
            length = 0;
            i = delimiter + 1;
        }
        return completed.isEmpty() ? List.of() : List.copyOf(completed);
    }

    /** How many frames were dropped, per reason, since construction. */
    public DropCounts dropCounts() {
        return DropCounts.of(drops);
    }

    /** How many frames were accepted since construction. */
    public long acceptedFrames() {
        return acceptedFrames;
    }

    /**
     * The counter of the last accepted authenticated frame (unsigned), or the initial value. A receiver
     * persists it to refuse replays across its own restarts.
     */
    public long lastAcceptedCounter() {
        return lastAcceptedCounter;
    }

    /** Bytes of an unfinished frame held until the next delimiter; never above the configured limit. */
    public int bufferedBytes() {
        return length;
    }

    /** Verifies the frame in {@code encoded[0, length)}: completes it, or counts why it was dropped. */
    private void verify() {
        int n = Cobs.decodeWithoutZeros(encoded, length, raw);
        if (n < 0) {
            drop(DropReason.BAD_COBS);
            return;
        }
        if (n < FrameLayout.MIN_PLAIN_FRAME_BYTES) {
            drop(DropReason.TOO_SHORT);
            return;
        }
        int crcAt = n - FrameLayout.CRC_BYTES;
        crc.reset();
        crc.update(raw, 0, crcAt);
        if ((int) crc.getValue() != FrameLayout.getInt(raw, crcAt)) {
            drop(DropReason.BAD_CRC);
            return;
        }
        int header = raw[0] & 0xFF;
        if (header >>> 4 != FrameLayout.VERSION) {
            drop(DropReason.BAD_VERSION);
            return;
        }
        int flags = header & 0x0F;
        if ((flags & ~FrameLayout.KNOWN_FLAGS) != 0) {
            drop(DropReason.BAD_FLAGS);
            return;
        }
        if ((flags & FrameLayout.FLAG_AUTH) == 0) {
            if (receiveTags.length > 0) {
                drop(DropReason.UNAUTHENTICATED);
                return;
            }
            accept(Frame.plain(slice(FrameLayout.HEADER_BYTES, crcAt)));
            return;
        }
        verifyAuthenticated(crcAt);
    }

    private void verifyAuthenticated(int crcAt) {
        int tagAt = crcAt - tagBytes;
        if (receiveTags.length == 0) {
            drop(DropReason.UNKNOWN_KEY);
            return;
        }
        if (tagAt < FrameLayout.AUTH_PAYLOAD_OFFSET) {
            drop(DropReason.TOO_SHORT);
            return;
        }
        int keyId = raw[FrameLayout.KEY_ID_OFFSET] & 0xFF;
        int keyIndex = keyIndex(keyId);
        if (keyIndex < 0) {
            drop(DropReason.UNKNOWN_KEY);
            return;
        }
        System.arraycopy(receiveTags[keyIndex].compute(raw, 0, tagAt), 0, expectedTag, 0, tagBytes);
        System.arraycopy(raw, tagAt, receivedTag, 0, tagBytes);
        if (!MessageDigest.isEqual(expectedTag, receivedTag)) {
            drop(DropReason.BAD_TAG);
            return;
        }
        long counter = FrameLayout.getLong(raw, FrameLayout.COUNTER_OFFSET);
        if (Long.compareUnsigned(counter, lastAcceptedCounter) <= 0) {
            drop(DropReason.REPLAY);
            return;
        }
        lastAcceptedCounter = counter;
        accept(Frame.authenticated(keyId, counter, slice(FrameLayout.AUTH_PAYLOAD_OFFSET, tagAt)));
    }

    private int keyIndex(int keyId) {
        for (int i = 0; i < receiveTags.length; i++) {
            if (receiveTags[i].keyId() == keyId) {
                return i;
            }
        }
        return -1;
    }

    private void accept(Frame frame) {
        acceptedFrames++;
        completed.add(frame);
    }

    private byte[] slice(int from, int to) {
        byte[] payload = new byte[to - from];
        System.arraycopy(raw, from, payload, 0, payload.length);
        return payload;
    }

    private void drop(DropReason reason) {
        drops[reason.ordinal()]++;
    }
}
