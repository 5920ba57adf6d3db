package io.waveos.companion.frame;

import com.google.protobuf.InvalidProtocolBufferException;
import io.waveos.companion.proto.Envelope;

/**
 * {@link Envelope} to frame payload and back, bounded by the payload limit of the link's encoder.
 *
 * <p>Unknown fields (from a newer peer) are kept: a parsed envelope re-serialises with them. An
 * envelope whose body is a message this version does not know parses with its body not set; the link
 * ignores it, or answers {@code ERROR_CODE_UNSUPPORTED} when {@code expects_reply} is set.
 */
public final class EnvelopeCodec {

    private final int maxPayloadBytes;

    /** A codec for payloads of at most {@code maxPayloadBytes} (see {@link FrameEncoder#maxPayloadBytes()}). */
    public EnvelopeCodec(int maxPayloadBytes) {
        if (maxPayloadBytes < 1) {
            throw new IllegalArgumentException("maxPayloadBytes must be >= 1, was " + maxPayloadBytes);
        }
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /** The payload limit. */
    public int maxPayloadBytes() {
        return maxPayloadBytes;
    }

    /**
     * Serialises an envelope.
     *
     * @throws IllegalArgumentException if it is larger than the payload limit
     */
    public byte[] encode(Envelope envelope) {
        int size = envelope.getSerializedSize();
        if (size > maxPayloadBytes) {
            throw new IllegalArgumentException("envelope (" + envelope.getBodyCase() + ") of " + size
                    + " bytes exceeds the payload limit of " + maxPayloadBytes);
        }
        return envelope.toByteArray();
    }

    /**
     * Parses a payload.
     *
     * @throws MalformedEnvelopeException if it is larger than the limit or not a valid Envelope
     */
    public Envelope decode(byte[] payload) throws MalformedEnvelopeException {
        if (payload.length > maxPayloadBytes) {
            throw new MalformedEnvelopeException("payload of " + payload.length
                    + " bytes exceeds the limit of " + maxPayloadBytes);
        }
        try {
            return Envelope.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            throw new MalformedEnvelopeException(
                    "payload of " + payload.length + " bytes is not a valid Envelope: " + e.getMessage(), e);
        }
    }
}
