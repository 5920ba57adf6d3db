package io.waveos.companion.link;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.waveos.companion.frame.Endpoint;
import io.waveos.companion.proto.Envelope;
import io.waveos.companion.proto.HelloAck;
import io.waveos.companion.proto.Sender;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinkHandshakeTest {

    private static final LinkConfig CONFIG = LinkConfig.DEFAULTS;

    @Test
    void bothEndsComeUpWhenTheGuardianAnswersTheDevicesHello() {
        LinkRig rig = LinkRig.plain(CONFIG).started();

        assertEquals(List.of(
                "t=0 device DISCONNECTED -> HANDSHAKING",
                "t=0 device tx HELLO seq=1",
                "t=0 guardian DISCONNECTED -> HANDSHAKING",
                "t=0 guardian HANDSHAKING -> UP",
                "t=0 guardian tx HELLO_ACK seq=1",
                "t=0 device HANDSHAKING -> UP"), rig.log());
        assertEquals(LinkParts.info(Endpoint.GUARDIAN, 1), rig.device().peer().orElseThrow());
        assertEquals(LinkParts.info(Endpoint.DEVICE, 1), rig.guardian().peer().orElseThrow());
        assertEquals(1, rig.device().counters().of(LinkCount.HANDSHAKE));
        assertEquals(1, rig.guardian().counters().of(LinkCount.HANDSHAKE));
    }

    @Test
    void deviceRepeatsItsHelloEveryRetryIntervalUntilTheGuardianAnswers() {
        LinkRig rig = LinkRig.plain(CONFIG);
        rig.on(Endpoint.DEVICE, LinkSession::start);
        rig.advance(Duration.ofMillis(1200));
        rig.on(Endpoint.GUARDIAN, LinkSession::start);
        rig.advance(Duration.ofMillis(300));

        assertEquals(List.of(
                "t=0 device DISCONNECTED -> HANDSHAKING",
                "t=0 device tx HELLO seq=1",
                "t=500 device tx HELLO seq=1",
                "t=1000 device tx HELLO seq=1",
                "t=1200 guardian DISCONNECTED -> HANDSHAKING",
                "t=1500 device tx HELLO seq=1",
                "t=1500 guardian HANDSHAKING -> UP",
                "t=1500 guardian tx HELLO_ACK seq=1",
                "t=1500 device HANDSHAKING -> UP"), rig.log());
        assertEquals(3, rig.guardian().counters().of(LinkCount.OUT_OF_SESSION));
        assertEquals(3, rig.device().counters().of(LinkCount.RETRANSMIT));
    }

    @Test
    void aLostHelloAckIsAnsweredAgainWithoutStartingASecondSession() {
        LinkRig rig = LinkRig.plain(CONFIG);
        rig.loseNext(Endpoint.GUARDIAN, "HELLO_ACK");
        rig.started();
        rig.advance(Duration.ofMillis(500));

        assertEquals(List.of(
                "t=0 device DISCONNECTED -> HANDSHAKING",
                "t=0 device tx HELLO seq=1",
                "t=0 guardian DISCONNECTED -> HANDSHAKING",
                "t=0 guardian HANDSHAKING -> UP",
                "t=0 guardian tx HELLO_ACK seq=1",
                "t=0 wire loses guardian HELLO_ACK seq=1",
                "t=500 device tx HELLO seq=1",
                "t=500 guardian tx HELLO_ACK seq=1",
                "t=500 device HANDSHAKING -> UP"), rig.log());
        assertEquals(1, rig.guardian().counters().of(LinkCount.HANDSHAKE));
        assertEquals(1, rig.guardian().counters().of(LinkCount.DUPLICATE));
    }

    @Test
    void guardianRefusesAHelloFromADeviceItIsNotPairedWith() {
        PeerInfo stranger = new PeerInfo(1, List.of(), "stranger-01", "agent 0.1", "device-boot-1");
        LinkRig rig = LinkRig.plain(CONFIG).replace(Endpoint.DEVICE, CONFIG, stranger).started();
        rig.advance(Duration.ofMillis(500));

        String refusal = "this Guardian is paired with device 'press-07', not 'stranger-01'";
        assertEquals(List.of(
                "t=0 device DISCONNECTED -> HANDSHAKING",
                "t=0 device tx HELLO seq=1",
                "t=0 guardian DISCONNECTED -> HANDSHAKING",
                "t=0 guardian handshake refused: " + refusal,
                "t=0 guardian tx ERROR INVALID re=1 seq=0",
                "t=0 device handshake refused: the Guardian refused our Hello: ERROR_CODE_INVALID " + refusal,
                // Refused again, but reported only once while the reason stays the same.
                "t=500 device tx HELLO seq=1",
                "t=500 guardian tx ERROR INVALID re=1 seq=0"), rig.log());
        assertEquals(LinkState.HANDSHAKING, rig.device().state());
        assertEquals(LinkState.HANDSHAKING, rig.guardian().state());
        assertEquals(2, rig.guardian().counters().of(LinkCount.HANDSHAKE_REFUSED));
    }

    @Test
    void deviceRefusesAHelloAckInAProtocolVersionItDoesNotSpeak() {
        LinkRig rig = LinkRig.plain(CONFIG);
        rig.on(Endpoint.DEVICE, LinkSession::start);
        rig.clearLog();

        rig.injectFrom(Endpoint.GUARDIAN, Envelope.newBuilder().setSender(Sender.SENDER_GUARDIAN).setSeq(1).setAck(1)
                .setHelloAck(HelloAck.newBuilder().setProtocolVersion(2).setDeviceId(LinkParts.DEVICE_ID)
                        .setBootId("guardian-boot-9"))
                .build());

        assertEquals(List.of("t=0 device handshake refused: the Guardian speaks protocol version 2; "
                + "this device speaks 1..1"), rig.log());
        assertEquals(LinkState.HANDSHAKING, rig.device().state());
    }

    @Test
    void sessionSpeaksTheLowerProtocolVersionOfBothEnds() {
        PeerInfo newerDevice = new PeerInfo(3, List.of(), LinkParts.DEVICE_ID, "agent 9", "device-boot-1");
        LinkRig rig = LinkRig.plain(CONFIG).replace(Endpoint.DEVICE, CONFIG, newerDevice).started();

        assertEquals(LinkState.UP, rig.device().state());
        assertEquals(1, rig.device().peer().orElseThrow().protocolVersion());
        assertEquals(1, rig.guardian().peer().orElseThrow().protocolVersion());
    }

    @Test
    void startingTwiceIsAProgrammingError() {
        LinkRig rig = LinkRig.plain(CONFIG).started();

        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> rig.device().start(rig.nowNanos()));
    }

    @Test
    void stoppedLinkIgnoresWhatItReceivesAndCanBeStartedAgain() {
        LinkRig rig = LinkRig.plain(CONFIG).started();
        rig.clearLog();
        rig.on(Endpoint.GUARDIAN, (s, now) -> s.stop("transport closed", now));
        rig.advance(Duration.ofMillis(1000));
        rig.on(Endpoint.GUARDIAN, LinkSession::start);
        rig.advance(Duration.ofMillis(1000));

        assertEquals(List.of(
                "t=0 guardian UP -> DISCONNECTED",
                "t=1000 device tx HEARTBEAT seq=2",
                "t=1000 guardian DISCONNECTED -> HANDSHAKING",
                // The device's next beat finds a Guardian without a session, which says so.
                "t=1250 device tx HEARTBEAT seq=2",
                "t=1250 guardian tx HELLO_ACK seq=0",
                "t=1250 device UP -> HANDSHAKING",
                "t=1250 device tx HELLO seq=1",
                "t=1250 guardian HANDSHAKING -> UP",
                "t=1250 guardian tx HELLO_ACK seq=1",
                "t=1250 device HANDSHAKING -> UP"), rig.log());
        assertEquals(2, rig.guardian().counters().of(LinkCount.OUT_OF_SESSION));
    }

    @Test
    void helloAckTooLargeToSendIsReportedInsteadOfThrown() {
        PeerInfo unpaired = new PeerInfo(1, List.of("command-gate"), "", "guardian 0.1", "guardian-boot-1");
        LinkRig rig = LinkRig.plain(CONFIG).replace(Endpoint.GUARDIAN, CONFIG, unpaired);
        rig.on(Endpoint.GUARDIAN, LinkSession::start);
        rig.clearLog();

        // A Hello that fits, from a device whose id is so long that a HelloAck echoing it does not.
        rig.injectFrom(Endpoint.DEVICE, Envelope.newBuilder().setSender(Sender.SENDER_DEVICE).setSeq(1)
                .setExpectsReply(true).setHello(io.waveos.companion.proto.Hello.newBuilder().setProtocolVersion(1)
                        .setDeviceId("d".repeat(470)).setBootId("device-boot-1"))
                .build());

        assertEquals(List.of(
                "t=0 guardian HANDSHAKING -> UP",
                "t=0 guardian not sent HELLO_ACK: larger than the payload limit of 504 bytes"), rig.log());
    }
}
