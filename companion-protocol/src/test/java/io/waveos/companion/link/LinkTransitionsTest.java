package io.waveos.companion.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.companion.frame.Endpoint;
import io.waveos.companion.link.LinkTransitions.Action;
import io.waveos.companion.link.LinkTransitions.Event;
import io.waveos.companion.link.LinkTransitions.Transition;
import io.waveos.companion.link.MessageRoutes.Route;
import io.waveos.companion.proto.Envelope.BodyCase;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinkTransitionsTest {

    @Test
    void onlyStartLeavesDisconnectedAndStopAlwaysReturnsToIt() {
        for (Endpoint end : Endpoint.values()) {
            for (Event event : Event.values()) {
                LinkState next = LinkTransitions.next(end, LinkState.DISCONNECTED, event).to();
                assertEquals(event == Event.STARTED ? LinkState.HANDSHAKING : LinkState.DISCONNECTED, next, end + " " + event);
            }
            for (LinkState state : LinkState.values()) {
                assertEquals(LinkState.DISCONNECTED, LinkTransitions.next(end, state, Event.STOPPED).to(), end + " " + state);
            }
        }
    }

    @Test
    void deviceThatStopsHearingTheGuardianFailsItsRequestsAndOpensANewSession() {
        assertEquals(new Transition(LinkState.LOST, List.of(Action.FAIL_REQUESTS, Action.OPEN_SESSION)),
                LinkTransitions.next(Endpoint.DEVICE, LinkState.UP, Event.PEER_SILENT));
        assertEquals(new Transition(LinkState.HANDSHAKING, List.of(Action.FAIL_REQUESTS, Action.OPEN_SESSION)),
                LinkTransitions.next(Endpoint.DEVICE, LinkState.UP, Event.PEER_DROPPED_SESSION));
        assertEquals(new Transition(LinkState.UP, List.of(Action.ARM_BEATS)),
                LinkTransitions.next(Endpoint.DEVICE, LinkState.LOST, Event.HANDSHAKE_COMPLETED));
        // A device in LOST has already sent a new Hello: frames of the old session do not bring it back.
        assertEquals(new Transition(LinkState.LOST, List.of()),
                LinkTransitions.next(Endpoint.DEVICE, LinkState.LOST, Event.PEER_HEARD));
    }

    @Test
    void guardianKeepsItsSessionWhenLostAndComesBackWhenHeardOrGreeted() {
        assertEquals(new Transition(LinkState.LOST, List.of()),
                LinkTransitions.next(Endpoint.GUARDIAN, LinkState.UP, Event.PEER_SILENT));
        assertEquals(new Transition(LinkState.UP, List.of()),
                LinkTransitions.next(Endpoint.GUARDIAN, LinkState.LOST, Event.PEER_HEARD));
        assertEquals(new Transition(LinkState.UP, List.of()),
                LinkTransitions.next(Endpoint.GUARDIAN, LinkState.LOST, Event.HANDSHAKE_COMPLETED));
        assertTrue(LinkTransitions.hasSession(Endpoint.GUARDIAN, LinkState.LOST));
        assertFalse(LinkTransitions.hasSession(Endpoint.DEVICE, LinkState.LOST));
    }

    @Test
    void onlyTheDeviceOpensSessionsAndOnlyItHasRequestsToFail() {
        for (LinkState state : LinkState.values()) {
            for (Event event : Event.values()) {
                List<Action> actions = LinkTransitions.next(Endpoint.GUARDIAN, state, event).actions();
                assertFalse(actions.contains(Action.OPEN_SESSION), state + " " + event);
                assertFalse(actions.contains(Action.FAIL_REQUESTS), state + " " + event);
            }
        }
    }

    @Test
    void everyBodyIsRoutedAndEachMessageTravelsOneWay() {
        assertEquals(Route.HANDSHAKE, MessageRoutes.inbound(Endpoint.GUARDIAN, BodyCase.HELLO));
        assertEquals(Route.HANDSHAKE, MessageRoutes.inbound(Endpoint.DEVICE, BodyCase.HELLO_ACK));
        assertEquals(Route.REQUEST, MessageRoutes.inbound(Endpoint.GUARDIAN, BodyCase.COMMAND_REQUEST));
        assertEquals(Route.ANSWER, MessageRoutes.inbound(Endpoint.DEVICE, BodyCase.COMMAND_DECISION));
        for (BodyCase body : BodyCase.values()) {
            boolean device = MessageRoutes.sends(Endpoint.DEVICE, body);
            boolean guardian = MessageRoutes.sends(Endpoint.GUARDIAN, body);
            if (body == BodyCase.ERROR) {
                assertTrue(device && guardian);
            } else if (body == BodyCase.BODY_NOT_SET) {
                assertFalse(device || guardian);
            } else {
                assertTrue(device ^ guardian, body + " is sent by exactly one end");
            }
        }
    }
}
