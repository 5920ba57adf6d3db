package io.waveos.companion.link;

import io.waveos.companion.frame.Endpoint;
import java.util.List;

/**
 * The link's state machine as a pure table: {@code (endpoint, state, event) -> (next state, actions)}.
 * {@link LinkSession} is the executor: it detects the events and performs the actions, in the order
 * listed. Every pair has an answer; the switches have no default, so a new state or event does not
 * compile until the table says what it does.
 */
final class LinkTransitions {

    /** What happened. */
    enum Event {
        /** The owner called {@code start}. */
        STARTED,
        /** The owner called {@code stop}. */
        STOPPED,
        /** Device: a HelloAck answered our Hello. Guardian: a Hello began a (new) session. */
        HANDSHAKE_COMPLETED,
        /** Nothing was heard from the peer for {@code missesBeforeLost} beat periods. */
        PEER_SILENT,
        /** A frame of the current session arrived. */
        PEER_HEARD,
        /** Device: the Guardian announced (unsolicited HelloAck) that it has no session with us. */
        PEER_DROPPED_SESSION
    }

    /** What the executor does, in order, after entering the next state. */
    enum Action {
        /** Device: start a new session: reset seq and the receive window, send Hello (seq 1), retry it. */
        OPEN_SESSION,
        /** Forget the session: the receive window and the beat being repeated. */
        CLOSE_SESSION,
        /** Fail every outstanding request as {@link RequestFailure#SESSION_ENDED}. */
        FAIL_REQUESTS,
        /** Schedule the first beat one period from now. */
        ARM_BEATS
    }

    record Transition(LinkState to, List<Action> actions) {
        Transition {
            actions = List.copyOf(actions);
        }
    }

    private LinkTransitions() {}

    static Transition next(Endpoint self, LinkState state, Event event) {
        return switch (self) {
            case DEVICE -> device(state, event);
            case GUARDIAN -> guardian(state, event);
        };
    }

    /** Whether {@code self} in {@code state} has a session: may send and deliver in-session envelopes. */
    static boolean hasSession(Endpoint self, LinkState state) {
        return switch (state) {
            case DISCONNECTED, HANDSHAKING -> false;
            case UP -> true;
            // The device has already begun a new session (its Hello is out); the Guardian keeps its own.
            case LOST -> switch (self) {
                case DEVICE -> false;
                case GUARDIAN -> true;
            };
        };
    }

    private static Transition device(LinkState state, Event event) {
        return switch (state) {
            case DISCONNECTED -> switch (event) {
                case STARTED -> go(LinkState.HANDSHAKING, Action.OPEN_SESSION);
                case STOPPED, HANDSHAKE_COMPLETED, PEER_SILENT, PEER_HEARD, PEER_DROPPED_SESSION -> stay(state);
            };
            case HANDSHAKING -> switch (event) {
                case HANDSHAKE_COMPLETED -> go(LinkState.UP, Action.ARM_BEATS);
                case STOPPED -> go(LinkState.DISCONNECTED, Action.FAIL_REQUESTS, Action.CLOSE_SESSION);
                case STARTED, PEER_SILENT, PEER_HEARD, PEER_DROPPED_SESSION -> stay(state);
            };
            case UP -> switch (event) {
                case PEER_SILENT -> go(LinkState.LOST, Action.FAIL_REQUESTS, Action.OPEN_SESSION);
                case PEER_DROPPED_SESSION -> go(LinkState.HANDSHAKING, Action.FAIL_REQUESTS, Action.OPEN_SESSION);
                case STOPPED -> go(LinkState.DISCONNECTED, Action.FAIL_REQUESTS, Action.CLOSE_SESSION);
                case STARTED, HANDSHAKE_COMPLETED, PEER_HEARD -> stay(state);
            };
            case LOST -> switch (event) {
                case HANDSHAKE_COMPLETED -> go(LinkState.UP, Action.ARM_BEATS);
                case STOPPED -> go(LinkState.DISCONNECTED, Action.FAIL_REQUESTS, Action.CLOSE_SESSION);
                case STARTED, PEER_SILENT, PEER_HEARD, PEER_DROPPED_SESSION -> stay(state);
            };
        };
    }

    private static Transition guardian(LinkState state, Event event) {
        return switch (state) {
            case DISCONNECTED -> switch (event) {
                case STARTED -> go(LinkState.HANDSHAKING);
                case STOPPED, HANDSHAKE_COMPLETED, PEER_SILENT, PEER_HEARD, PEER_DROPPED_SESSION -> stay(state);
            };
            case HANDSHAKING -> switch (event) {
                case HANDSHAKE_COMPLETED -> go(LinkState.UP, Action.ARM_BEATS);
                case STOPPED -> go(LinkState.DISCONNECTED, Action.CLOSE_SESSION);
                case STARTED, PEER_SILENT, PEER_HEARD, PEER_DROPPED_SESSION -> stay(state);
            };
            case UP -> switch (event) {
                case PEER_SILENT -> go(LinkState.LOST);
                case STOPPED -> go(LinkState.DISCONNECTED, Action.CLOSE_SESSION);
                // A Hello while UP starts a new session; the beats keep their schedule.
                case STARTED, HANDSHAKE_COMPLETED, PEER_HEARD, PEER_DROPPED_SESSION -> stay(state);
            };
            case LOST -> switch (event) {
                case HANDSHAKE_COMPLETED, PEER_HEARD -> go(LinkState.UP);
                case STOPPED -> go(LinkState.DISCONNECTED, Action.CLOSE_SESSION);
                case STARTED, PEER_SILENT, PEER_DROPPED_SESSION -> stay(state);
            };
        };
    }

    private static Transition go(LinkState to, Action... actions) {
        return new Transition(to, List.of(actions));
    }

    private static Transition stay(LinkState state) {
        return new Transition(state, List.of());
    }
}
