package io.waveos.companion.frame;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One frame's content, without its framing: what the encoder takes and the decoder returns.
 *
 * @param authenticated whether the frame carries the authentication section and tag
 * @param keyId the key id (0..255) of an authenticated frame; 0 for a plain frame
 * @param counter the sender's counter of an authenticated frame, an unsigned 64-bit value that is
 *     never 0; 0 for a plain frame
 * @param payload the protobuf bytes (copied in and out)
 */
public record Frame(boolean authenticated, int keyId, long counter, byte[] payload) {

    public Frame {
        if (payload == null) {
            throw new IllegalArgumentException("payload must not be null");
        }
        if (authenticated) {
            if (keyId < 0 || keyId > 0xFF) {
                throw new IllegalArgumentException("keyId must be 0..255, was " + keyId);
            }
            if (counter == 0) {
                throw new IllegalArgumentException("the counter of an authenticated frame starts at 1");
            }
        } else if (keyId != 0 || counter != 0) {
            throw new IllegalArgumentException("a plain frame has no key id and no counter");
        }
        payload = payload.clone();
    }

    /** A frame without authentication. */
    public static Frame plain(byte[] payload) {
        return new Frame(false, 0, 0, payload);
    }

    /** A frame to be authenticated with key {@code keyId}, carrying {@code counter}. */
    public static Frame authenticated(int keyId, long counter, byte[] payload) {
        return new Frame(true, keyId, counter, payload);
    }

    /** A copy of the payload. */
    @Override
    public byte[] payload() {
        return payload.clone();
    }

    int payloadLength() {
        return payload.length;
    }

    byte[] payloadUnsafe() {
        return payload;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Frame f
                && f.authenticated == authenticated
                && f.keyId == keyId
                && f.counter == counter
                && Arrays.equals(f.payload, payload);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hash(authenticated, keyId, counter) + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        String body = "payload=" + HexFormat.of().formatHex(payload);
        return authenticated
                ? "Frame[auth keyId=" + keyId + " counter=" + Long.toUnsignedString(counter) + " " + body + "]"
                : "Frame[plain " + body + "]";
    }
}
