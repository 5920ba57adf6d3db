package io.waveos.companion.link;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.waveos.companion.frame.Endpoint;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LinkResetTest {

    private static final LinkConfig CONFIG = LinkConfig.DEFAULTS;

    @Test
    void deviceRebootIsSeenAsAPeerResetAndTheLinkComesBackUpWithFreshSeqs() {
        LinkRig rig = LinkRig.plain(CONFIG).started();
        rig.advance(Duration.ofMillis(3000));
        rig.clearLog();

        rig.reboot(Endpoint.DEVICE);
        rig.advance(Duration.ofMillis(1000));

        assertEquals(List.of(
                "t=3000 device reboots",
                "t=3000 device DISCONNECTED -> HANDSHAKING",
                "t=3000 device tx HELLO seq=1",
                "t=3000 guardian peer reset device-boot-1 -> device-boot-2",
                "t=3000 guardian tx HELLO_ACK seq=1",
                "t=3000 device HANDSHAKING -> UP",
                "t=4000 device tx HEARTBEAT seq=2",
                "t=4000 guardian deliver HEARTBEAT seq=2"), rig.logOf("device reboots", "->", "HELLO", "peer reset",
                        "HEARTBEAT seq=2"));
        assertEquals(LinkState.UP, rig.guardian().state());
        assertEquals("device-boot-2", rig.guardian().peer().orElseThrow().bootId());
        assertEquals(1, rig.guardian().counters().of(LinkCount.PEER_RESET));
    }

    @Test
    void guardianRebootIsSeenAsAPeerResetAndTheDeviceHandshakesAgain() {
        LinkRig rig = LinkRig.plain(CONFIG.withHeartbeatPeriod(Duration.ofMinutes(1))).started();
        rig.guardianDecides(request -> Optional.empty());
        rig.deviceRequests("r1");
        rig.clearLog();

        rig.reboot(Endpoint.GUARDIAN);
        rig.advance(Duration.ofMillis(250));

        assertEquals(List.of(
                "t=0 guardian reboots",
                "t=0 guardian DISCONNECTED -> HANDSHAKING",
                // The request's retransmission reaches a Guardian without a session, which announces itself.
                "t=250 device tx COMMAND_REQUEST r1 seq=2",
                "t=250 guardian tx HELLO_ACK seq=0",
                "t=250 device peer reset guardian-boot-1 -> guardian-boot-2",
                "t=250 device UP -> HANDSHAKING",
                "t=250 device failed r1 SESSION_ENDED",
                "t=250 device tx HELLO seq=1",
                "t=250 guardian HANDSHAKING -> UP",
                "t=250 guardian tx HELLO_ACK seq=1",
                "t=250 device HANDSHAKING -> UP"), rig.log());
        assertEquals("guardian-boot-2", rig.device().peer().orElseThrow().bootId());
    }

    @Test
    void guardianRebootIsNoticedByTheNextHeartbeatWhenNoRequestIsOutstanding() {
        LinkRig rig = LinkRig.plain(CONFIG).started();
        rig.advance(Duration.ofMillis(1100));
        rig.reboot(Endpoint.GUARDIAN);
        rig.clearLog();
        rig.advance(Duration.ofMillis(1000));

        assertEquals(List.of(
                "t=1250 device peer reset guardian-boot-1 -> guardian-boot-2",
                "t=1250 device UP -> HANDSHAKING",
                "t=1250 guardian HANDSHAKING -> UP",
                "t=1250 device HANDSHAKING -> UP"), rig.logOf("peer reset", "->"));
        assertEquals(1, rig.device().counters().of(LinkCount.PEER_RESET));
        assertEquals(0, rig.device().counters().of(LinkCount.LOSS));
    }

    @Test
    void requestIdsOfAPreviousBootAreForgottenSoAReusedIdIsDecidedAfresh() {
        LinkRig rig = LinkRig.plain(CONFIG.withHeartbeatPeriod(Duration.ofMinutes(1))).started();
        rig.deviceRequests("r1");
        rig.reboot(Endpoint.DEVICE);
        rig.deviceRequests("r1");

        assertEquals(List.of(
                "t=0 guardian deliver COMMAND_REQUEST r1 seq=2",
                "t=0 device answered r1 approve",
                "t=0 guardian peer reset device-boot-1 -> device-boot-2",
                "t=0 guardian deliver COMMAND_REQUEST r1 seq=2",
                "t=0 device answered r1 approve"), rig.logOf("deliver", "answered", "peer reset"));
    }

    @Test
    void deviceThatLostTheLinkKeepsItsRequestIdsRememberedByTheGuardian() {
        LinkRig rig = LinkRig.plain(CONFIG).started();
        rig.loseNext(Endpoint.GUARDIAN, "COMMAND_DECISION");
        rig.deviceRequests("r1");
        rig.cut();
        rig.advance(Duration.ofMillis(3500));
        rig.heal();
        rig.advance(Duration.ofMillis(500));
        rig.clearLog();

        // Same boot: a new session, but the Guardian still knows its decision for r1.
        rig.deviceRequests("r1");

        assertEquals(List.of(
                "t=4000 device tx COMMAND_REQUEST r1 seq=2",
                "t=4000 guardian tx COMMAND_DECISION r1 seq=2",
                "t=4000 device answered r1 approve"), rig.log());
    }
}
