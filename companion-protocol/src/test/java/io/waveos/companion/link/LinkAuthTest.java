package io.waveos.companion.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.companion.frame.DropReason;
import io.waveos.companion.frame.Endpoint;
import io.waveos.companion.frame.FrameLimits;
import io.waveos.companion.frame.LinkAuth;
import io.waveos.companion.frame.LinkKey;
import io.waveos.companion.frame.LinkKeys;
import io.waveos.companion.frame.FrameDecoder;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LinkAuthTest {

    private static final LinkConfig CONFIG = LinkConfig.DEFAULTS.withHeartbeatPeriod(Duration.ofMinutes(1));

    @Test
    void keyedLinkHandshakesAndAnswersRequestsWithCountersReservedAhead() {
        LinkRig rig = LinkRig.keyed(LinkConfig.DEFAULTS).started();
        rig.deviceRequests("r1");
        rig.advance(Duration.ofSeconds(10));

        assertEquals(List.of(
                "t=0 device HANDSHAKING -> UP",
                "t=0 device answered r1 approve"), rig.logOf("device HANDSHAKING", "answered"));
        assertEquals(LinkState.UP, rig.device().state());
        // 10 s of beats and their repeats: more frames than one block of 16 counters, so blocks were
        // reserved (written) ahead of use, and the peer accepted every counter in order.
        long sent = rig.device().counters().of(LinkCount.FRAMES_SENT);
        assertTrue(sent > 16, "frames sent: " + sent);
        assertEquals(sent / 16 + (sent % 16 == 0 ? 0 : 1), rig.parts().store(Endpoint.DEVICE).writes);
        assertEquals(sent, rig.guardian().lastAcceptedCounter());
        assertEquals(0, rig.guardian().counters().frameDrops().total());
    }

    @Test
    void rebootedEndResumesItsCountersAboveEveryCounterItReserved() {
        LinkRig rig = LinkRig.keyed(LinkConfig.DEFAULTS).started();
        rig.advance(Duration.ofSeconds(3));
        long before = rig.guardian().lastAcceptedCounter();

        rig.reboot(Endpoint.DEVICE);

        assertEquals(LinkState.UP, rig.device().state());
        assertTrue(rig.guardian().lastAcceptedCounter() > before);
        assertEquals(0, rig.guardian().counters().frameDrops().of(DropReason.REPLAY));
    }

    @Test
    void keyedEndRefusesPlainFramesAndStaysDown() {
        LinkParts plain = new LinkParts(false);
        LinkParts keyed = new LinkParts(true);
        LinkSession device = plain.boot(Endpoint.DEVICE, CONFIG);
        LinkSession guardian = keyed.boot(Endpoint.GUARDIAN, CONFIG);
        guardian.start(0);

        byte[] hello = transmitted(device.start(0));
        assertEquals(List.of(), guardian.onBytes(hello, 0, hello.length, 0));

        assertEquals(1, guardian.counters().frameDrops().of(DropReason.UNAUTHENTICATED));
        assertEquals(0, guardian.counters().of(LinkCount.FRAMES_RECEIVED));
        assertEquals(LinkState.HANDSHAKING, guardian.state());
    }

    @Test
    void framesSignedWithAnotherKeyAreRefused() {
        LinkKeys other = new LinkKeys(
                new LinkKey(1, HexFormat.of().parseHex("404142434445464748494a4b4c4d4e4f")),
                new LinkKey(1, HexFormat.of().parseHex("505152535455565758595a5b5c5d5e5f")));
        LinkParts keyed = new LinkParts(true);
        LinkSession device = keyed.boot(Endpoint.DEVICE, CONFIG);
        FrameDecoder wrongKey = FrameDecoder.authenticated(FrameLimits.DEFAULT,
                LinkAuth.of(Endpoint.GUARDIAN, LinkParts.TAG_BYTES, other), 0);
        LinkSession guardian = new LinkSession(CONFIG, Endpoint.GUARDIAN, keyed.encoder(Endpoint.GUARDIAN), wrongKey,
                keyed.counters(Endpoint.GUARDIAN), keyed.codec(), LinkParts.info(Endpoint.GUARDIAN, 1),
                BeatSource.timeWitnesses(now -> io.waveos.companion.proto.TimeWitness.getDefaultInstance()));
        guardian.start(0);

        byte[] hello = transmitted(device.start(0));
        guardian.onBytes(hello, 0, hello.length, 0);

        assertEquals(1, guardian.counters().frameDrops().of(DropReason.BAD_TAG));
        assertEquals(LinkState.HANDSHAKING, guardian.state());
    }

    @Test
    void replayedFrameIsDroppedBeforeItReachesTheLink() {
        LinkRig rig = LinkRig.keyed(CONFIG).started();
        rig.guardianDecides(request -> Optional.empty());
        byte[] request = transmitted(rig.deviceRequests("r1"));
        rig.clearLog();

        rig.inject(Endpoint.GUARDIAN, request);

        assertEquals(List.of(), rig.log());
        assertEquals(1, rig.guardian().counters().frameDrops().of(DropReason.REPLAY));
        assertEquals(0, rig.guardian().counters().of(LinkCount.DUPLICATE));
    }

    @Test
    void linkFailsClosedWhileItsCounterStorageFailsAndRecoversWhenItWorksAgain() {
        LinkRig rig = LinkRig.keyed(CONFIG);
        rig.parts().store(Endpoint.DEVICE).failing = true;
        rig.started();
        rig.advance(Duration.ofMillis(500));
        rig.parts().store(Endpoint.DEVICE).failing = false;
        rig.advance(Duration.ofMillis(500));

        String notSent = "not sent HELLO: no frame counter could be reserved (fail closed): storage failed";
        assertEquals(List.of(
                "t=0 device DISCONNECTED -> HANDSHAKING",
                "t=0 device " + notSent,
                "t=0 guardian DISCONNECTED -> HANDSHAKING",
                "t=500 device " + notSent,
                "t=1000 device tx HELLO seq=1",
                "t=1000 guardian HANDSHAKING -> UP",
                "t=1000 guardian tx HELLO_ACK seq=1",
                "t=1000 device HANDSHAKING -> UP"), rig.log());
        assertEquals(2, rig.device().counters().of(LinkCount.NOT_SENT));
    }

    @Test
    void plainEncoderWithCountersOrKeyedEncoderWithoutIsRefusedAtConstruction() {
        LinkParts plain = new LinkParts(false);
        LinkParts keyed = new LinkParts(true);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new LinkSession(CONFIG,
                Endpoint.DEVICE, keyed.encoder(Endpoint.DEVICE), keyed.decoder(Endpoint.DEVICE), Optional.empty(),
                keyed.codec(), LinkParts.info(Endpoint.DEVICE, 1), now -> null));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new LinkSession(CONFIG,
                Endpoint.DEVICE, plain.encoder(Endpoint.DEVICE), plain.decoder(Endpoint.DEVICE), Optional.empty(),
                new io.waveos.companion.frame.EnvelopeCodec(600), LinkParts.info(Endpoint.DEVICE, 1), now -> null));
    }

    /** The one frame among {@code outputs}. */
    private static byte[] transmitted(List<LinkOutput> outputs) {
        List<LinkOutput.Transmit> frames = outputs.stream().filter(LinkOutput.Transmit.class::isInstance)
                .map(LinkOutput.Transmit.class::cast).toList();
        assertEquals(1, frames.size(), outputs.toString());
        return frames.get(0).wire();
    }
}
