package io.waveos.companion.link;

import io.waveos.companion.frame.Endpoint;
import io.waveos.companion.proto.Envelope.BodyCase;

/**
 * Which messages travel in which direction, and how a receiver handles each (spec sections 9 and 11).
 * Pure; the switches are exhaustive, so a new body alternative does not compile until it is routed.
 */
final class MessageRoutes {

    /** How a receiver handles an envelope body. */
    enum Route {
        /** Hello on the Guardian, HelloAck on the device. */
        HANDSHAKE,
        /** A CommandRequest on the Guardian: delivered once per id, repeats answered from memory. */
        REQUEST,
        /** A CommandDecision on the device: ends the outstanding request with its id. */
        ANSWER,
        /** A LinkError: ends the request it answers, or is delivered. */
        ERROR,
        /** Delivered once per seq. */
        DELIVER,
        /** Unknown, or not sent in this direction: ignored, or answered ERROR_CODE_UNSUPPORTED if a request. */
        UNSUPPORTED
    }

    private MessageRoutes() {}

    static Route inbound(Endpoint self, BodyCase body) {
        return switch (self) {
            case DEVICE -> switch (body) {
                case HELLO_ACK -> Route.HANDSHAKE;
                case COMMAND_DECISION -> Route.ANSWER;
                case SAFE_MODE_ORDER, RESET_WITNESS, TIME_WITNESS -> Route.DELIVER;
                case ERROR -> Route.ERROR;
                case HELLO, HEARTBEAT, HEALTH_REPORT, COMMAND_REQUEST, MODE_REPORT, BODY_NOT_SET -> Route.UNSUPPORTED;
            };
            case GUARDIAN -> switch (body) {
                case HELLO -> Route.HANDSHAKE;
                case COMMAND_REQUEST -> Route.REQUEST;
                case HEARTBEAT, HEALTH_REPORT, MODE_REPORT -> Route.DELIVER;
                case ERROR -> Route.ERROR;
                case HELLO_ACK, COMMAND_DECISION, SAFE_MODE_ORDER, RESET_WITNESS, TIME_WITNESS, BODY_NOT_SET ->
                        Route.UNSUPPORTED;
            };
        };
    }

    /** Whether {@code self} sends {@code body} at all (through any method). */
    static boolean sends(Endpoint self, BodyCase body) {
        Endpoint peer = switch (self) {
            case DEVICE -> Endpoint.GUARDIAN;
            case GUARDIAN -> Endpoint.DEVICE;
        };
        return body == BodyCase.ERROR || inbound(peer, body) != Route.UNSUPPORTED;
    }
}
