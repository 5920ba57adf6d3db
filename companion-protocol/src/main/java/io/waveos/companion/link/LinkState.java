package io.waveos.companion.link;

/**
 * Where a {@link LinkSession} stands. The transitions are the table in {@code LinkTransitions} and the
 * diagram in {@code docs/companion-protocol.md}, section 11.
 */
public enum LinkState {
    /** Not started (or stopped): nothing is sent and everything received is ignored. */
    DISCONNECTED,
    /**
     * Device: a Hello is out and retried until a HelloAck answers it. Guardian: started, waiting for a
     * Hello; no session yet.
     */
    HANDSHAKING,
    /** A session exists and the peer was heard within the last {@code missesBeforeLost} beat periods. */
    UP,
    /**
     * Nothing was heard from the peer for {@code missesBeforeLost} beat periods. Device: a new Hello is
     * out and retried (a new session). Guardian: the session is kept and any frame of it, or a Hello,
     * brings the link back UP.
     */
    LOST
}
