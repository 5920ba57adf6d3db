package io.waveos.companion.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.companion.frame.DropReason;
import io.waveos.companion.frame.Endpoint;
import io.waveos.companion.frame.Frame;
import io.waveos.companion.proto.AgentMode;
import io.waveos.companion.proto.Envelope;
import io.waveos.companion.proto.Heartbeat;
import io.waveos.companion.proto.Sender;
import io.waveos.companion.transport.FaultPlan;
import io.waveos.companion.transport.PipePair;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LinkNoiseTest {

    private static final Duration TICK = Duration.ofMillis(125);

    private static List<String> stateChanges(PipeLink link, Endpoint end) {
        return link.events(end).stream().filter(LinkOutput.StateChanged.class::isInstance)
                .map(o -> ((LinkOutput.StateChanged) o).from() + "->" + ((LinkOutput.StateChanged) o).to()).toList();
    }

    @Test
    void keyedLinkStaysUpForTenThousandHeartbeatsAtABitErrorRateOf1e3() {
        PipeLink link = new PipeLink(LinkConfig.DEFAULTS, true, FaultPlan.NONE.withBitErrorRate(1e-3), 42);
        link.advance(Duration.ofSeconds(10_000).plusMillis(500), TICK);

        for (Endpoint end : Endpoint.values()) {
            assertEquals(List.of("DISCONNECTED->HANDSHAKING", "HANDSHAKING->UP"), stateChanges(link, end), end.name());
        }
        List<Heartbeat> heartbeats = link.delivered(Endpoint.GUARDIAN).stream().map(Envelope::getHeartbeat).toList();
        // Each heartbeat is delivered at most once and intact (numbered 0, 1, 2... by LinkParts), and a
        // heartbeat is missed only when all four copies sent in its period were corrupted.
        int previous = -1;
        for (Heartbeat h : heartbeats) {
            assertTrue(h.getLoopLagMs() > previous, "out of order or repeated: " + h.getLoopLagMs());
            assertTrue(h.getLoopLagMs() < 10_000);
            assertEquals(AgentMode.AGENT_MODE_NORMAL, h.getMode());
            assertEquals("ok", h.getSummary());
            previous = h.getLoopLagMs();
        }
        // Expected about 98.4 % (a copy survives with p ~ 0.65); this seed delivers 9,841.
        assertTrue(heartbeats.size() >= 9_700, "heartbeats delivered: " + heartbeats.size());
        // The noise was real: about a third of all frames were corrupted and dropped.
        LinkCounters guardian = link.session(Endpoint.GUARDIAN).counters();
        assertTrue(guardian.frameDrops().total() > 10_000, guardian.frameDrops().toString());
        assertEquals(0, guardian.frameDrops().of(DropReason.BAD_TAG));
        assertEquals(0, guardian.of(LinkCount.MALFORMED_PAYLOAD));
        PipePair.DirectionStats line = link.pair().stats(PipePair.Direction.A_TO_B);
        assertTrue(line.bitsFlipped() > line.bytesSent() * 8 / 2000, line.toString());
    }

    @Test
    void everyRequestIsDeliveredAndAnsweredExactlyOnceOverALineThatDropsDuplicatesAndReorders() {
        FaultPlan plan = FaultPlan.NONE.withDropProbability(0.1).withDuplicateProbability(0.1)
                .withReorderProbability(0.1).withDelay(Duration.ZERO, Duration.ofMillis(20));
        PipeLink link = new PipeLink(LinkConfig.DEFAULTS, false, plan, 7);
        link.advance(Duration.ofSeconds(1), TICK);
        for (int i = 0; i < 300; i++) {
            link.request("r" + i);
            link.advance(Duration.ofMillis(250), TICK);
        }
        link.advance(Duration.ofSeconds(6), TICK);

        Map<String, Integer> answered = new HashMap<>();
        for (LinkOutput o : link.events(Endpoint.DEVICE)) {
            assertTrue(!(o instanceof LinkOutput.RequestFailed), o.toString());
            if (o instanceof LinkOutput.RequestAnswered a) {
                answered.merge(a.id(), 1, Integer::sum);
            }
        }
        Map<String, Integer> delivered = new HashMap<>();
        for (Envelope env : link.delivered(Endpoint.GUARDIAN)) {
            if (env.hasCommandRequest()) {
                delivered.merge(env.getCommandRequest().getId(), 1, Integer::sum);
            }
        }
        assertEquals(300, answered.size());
        assertTrue(answered.values().stream().allMatch(n -> n == 1), answered.toString());
        assertEquals(answered, delivered);
        for (Endpoint end : Endpoint.values()) {
            assertEquals(List.of("DISCONNECTED->HANDSHAKING", "HANDSHAKING->UP"), stateChanges(link, end), end.name());
            assertTrue(link.session(end).counters().of(LinkCount.DUPLICATE) > 0);
        }
        // Duplicated and reordered beats are still delivered once each, in increasing seq.
        List<Long> seqs = link.delivered(Endpoint.DEVICE).stream().map(Envelope::getSeq).toList();
        assertEquals(seqs.stream().distinct().count(), seqs.size());
        assertTrue(link.pair().stats(PipePair.Direction.B_TO_A).chunksDuplicated() > 0);
    }

    @Test
    void garbageMalformedPayloadsAndEnvelopesBreakingTheRulesAreCountedAndNeverBreakTheLink() {
        LinkRig rig = LinkRig.plain(LinkConfig.DEFAULTS.withHeartbeatPeriod(Duration.ofMinutes(1))).started();
        rig.clearLog();
        byte[] garbage = new byte[4096];
        new Random(3).nextBytes(garbage);
        garbage[garbage.length - 1] = 0; // a delimiter: otherwise the next frame is glued to the garbage

        rig.inject(Endpoint.GUARDIAN, garbage);
        // A frame whose payload is not an Envelope: field 1 claims 5 bytes and has 1.
        rig.inject(Endpoint.GUARDIAN, rig.parts().encoder(Endpoint.DEVICE).encode(Frame.plain(new byte[] {0x0a, 0x05, 0x01})));
        // The Guardian's own envelope reflected back to it, and a device envelope with seq 0.
        rig.injectFrom(Endpoint.DEVICE, Envelope.newBuilder().setSender(Sender.SENDER_GUARDIAN).setSeq(9)
                .setHeartbeat(Heartbeat.getDefaultInstance()).build());
        rig.injectFrom(Endpoint.DEVICE, Envelope.newBuilder().setSender(Sender.SENDER_DEVICE).setSeq(0)
                .setHeartbeat(Heartbeat.getDefaultInstance()).build());
        rig.deviceRequests("r1");

        assertEquals(List.of(
                "t=0 device tx COMMAND_REQUEST r1 seq=2",
                "t=0 guardian deliver COMMAND_REQUEST r1 seq=2",
                "t=0 guardian tx COMMAND_DECISION r1 seq=2",
                "t=0 device answered r1 approve"), rig.log());
        LinkCounters counters = rig.guardian().counters();
        assertEquals(1, counters.of(LinkCount.MALFORMED_PAYLOAD));
        assertEquals(2, counters.of(LinkCount.INVALID_ENVELOPE));
        assertTrue(counters.frameDrops().total() > 0, counters.frameDrops().toString());
        assertEquals(LinkState.UP, rig.guardian().state());
    }
}
