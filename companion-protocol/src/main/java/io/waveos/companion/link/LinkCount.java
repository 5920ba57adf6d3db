package io.waveos.companion.link;

/**
 * What a {@link LinkSession} counts, besides the frame decoder's drops ({@link LinkCounters#frameDrops()}).
 * The names are stable and usable as metric names.
 */
public enum LinkCount {
    /** Frames handed to the owner to transmit (every copy: retransmissions and beat repeats too). */
    FRAMES_SENT,
    /** Frames the decoder accepted (they passed COBS, CRC and authentication). */
    FRAMES_RECEIVED,
    /** Accepted frames whose payload is not an Envelope (spec section 9: MALFORMED_PAYLOAD). */
    MALFORMED_PAYLOAD,
    /** Envelopes that break the link rules: the wrong sender, seq 0 in a session, a HelloAck without a boot id. */
    INVALID_ENVELOPE,
    /** Envelopes ignored because this side has no session (before a handshake, or of an older session). */
    OUT_OF_SESSION,
    /** Envelopes whose body is unknown or not accepted in this direction; requests among them are answered ERROR_CODE_UNSUPPORTED. */
    UNSUPPORTED,
    /** Envelopes received again (same seq, a repeated request id, a repeated Hello or HelloAck): not delivered again. */
    DUPLICATE,
    /** Requests and Hellos sent again with their original seq. */
    RETRANSMIT,
    /** Beats sent again with their original seq while waiting for the next beat. */
    BEAT_REPEAT,
    /** Requests failed as {@link RequestFailure#TIMED_OUT}. */
    TIMEOUT,
    /** Answers to no outstanding request (after its timeout, or repeated). */
    LATE_ANSWER,
    /** Guardian: requests answered ERROR_CODE_BUSY because too many wait for the owner's reply. */
    BUSY_REFUSAL,
    /** Messages not sent ({@link LinkOutput.NotSent}). */
    NOT_SENT,
    /** Sessions established (Hello answered by HelloAck). */
    HANDSHAKE,
    /** Handshakes refused ({@link LinkOutput.HandshakeRefused}, counted every time). */
    HANDSHAKE_REFUSED,
    /** Peer restarts seen ({@link LinkOutput.PeerReset}). */
    PEER_RESET,
    /** Times the link went LOST. */
    LOSS
}
