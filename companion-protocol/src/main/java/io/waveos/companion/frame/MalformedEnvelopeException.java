package io.waveos.companion.frame;

/** A frame's payload is not a parsable {@link io.waveos.companion.proto.Envelope}. */
public final class MalformedEnvelopeException extends Exception {

    private static final long serialVersionUID = 1L;

    public MalformedEnvelopeException(String message, Throwable cause) {
        super(message, cause);
    }

    public MalformedEnvelopeException(String message) {
        super(message);
    }
}
