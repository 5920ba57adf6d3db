package io.waveos.companion.link;

/** Why a request ended without an answer: the stable code of a {@link LinkOutput.RequestFailed}. */
public enum RequestFailure {
    /** Refused at once: the link was not UP, so the request was never sent. */
    LINK_NOT_UP,
    /** Refused at once: {@link LinkConfig#maxOutstandingRequests()} requests were already waiting. */
    OUTSTANDING_LIMIT,
    /** Refused at once: the envelope does not fit the link's payload limit. */
    TOO_LARGE,
    /** Sent and retransmitted, but not answered within {@link LinkConfig#requestTimeout()}. */
    TIMED_OUT,
    /** The session it was sent in ended first (link lost, peer reset, re-handshake, stop). */
    SESSION_ENDED,
    /** The peer answered with a LinkError (other than BUSY, which is retried until the timeout). */
    PEER_ERROR
}
