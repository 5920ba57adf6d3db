package io.waveos.companion.link;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.waveos.companion.frame.Endpoint;
import io.waveos.companion.frame.Frame;
import io.waveos.companion.proto.CommandDecision;
import io.waveos.companion.proto.CommandRequest;
import io.waveos.companion.proto.Envelope;
import io.waveos.companion.proto.HealthReport;
import io.waveos.companion.proto.Heartbeat;
import io.waveos.companion.proto.Hello;
import io.waveos.companion.proto.HelloAck;
import io.waveos.companion.proto.LinkError;
import io.waveos.companion.proto.ModeReport;
import io.waveos.companion.proto.ResetWitness;
import io.waveos.companion.proto.SafeModeOrder;
import io.waveos.companion.proto.TimeWitness;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LinkRobustnessTest {

    private static final List<String> IDS = List.of("", " ", "r1", "r2", LinkParts.DEVICE_ID, "x".repeat(70));

    @Test
    void randomEnvelopesAndPayloadsFromEitherSideNeverMakeTheLinkThrowAndItRecoversAfterwards() {
        Random random = new Random(11);
        LinkRig rig = LinkRig.plain(LinkConfig.DEFAULTS).started();
        rig.guardianDecides(request -> random.nextBoolean() ? LinkRig.approve(request) : java.util.Optional.empty());

        for (int i = 0; i < 20_000; i++) {
            Endpoint from = random.nextBoolean() ? Endpoint.DEVICE : Endpoint.GUARDIAN;
            if (random.nextInt(10) == 0) {
                byte[] payload = new byte[random.nextInt(40)];
                random.nextBytes(payload);
                rig.inject(LinkRig.peer(from), rig.parts().encoder(from).encode(Frame.plain(payload)));
            } else {
                rig.injectFrom(from, randomEnvelope(random));
            }
            if (random.nextInt(20) == 0) {
                rig.advance(Duration.ofMillis(50 + random.nextInt(4000)));
            }
        }

        // Whatever state the junk left behind, a device that restarts brings the link back.
        rig.reboot(Endpoint.DEVICE);
        rig.advance(Duration.ofSeconds(1));
        rig.guardianDecides(LinkRig::approve);
        rig.clearLog();
        rig.deviceRequests("final");
        assertEquals(LinkState.UP, rig.guardian().state());
        assertEquals(List.of("t=" + rig.elapsedMillis() + " device answered final approve"), rig.logOf("answered"));
    }

    private static Envelope randomEnvelope(Random r) {
        Envelope.Builder b = Envelope.newBuilder().setSenderValue(r.nextInt(4))
                .setSeq(r.nextInt(8) == 0 ? r.nextLong() : r.nextInt(12))
                .setAck(r.nextInt(4) == 0 ? r.nextLong() : r.nextInt(12)).setExpectsReply(r.nextBoolean());
        String id = IDS.get(r.nextInt(IDS.size()));
        switch (r.nextInt(12)) {
            case 0 -> b.setHello(Hello.newBuilder().setProtocolVersion(r.nextInt(3) - 1 + (r.nextInt(9) == 0 ? 1 << 31 : 0))
                    .setDeviceId(id).setBootId(IDS.get(r.nextInt(IDS.size()))));
            case 1 -> b.setHelloAck(HelloAck.newBuilder().setProtocolVersion(r.nextInt(3)).setDeviceId(id)
                    .setBootId(IDS.get(r.nextInt(IDS.size()))));
            case 2 -> b.setHeartbeat(Heartbeat.newBuilder().setModeValue(r.nextInt(6)).setSummary(id));
            case 3 -> b.setHealthReport(HealthReport.newBuilder().putQueueDepths(id, r.nextInt()));
            case 4 -> b.setCommandRequest(CommandRequest.newBuilder().setId(id).setKindValue(r.nextInt(10)));
            case 5 -> b.setCommandDecision(CommandDecision.newBuilder().setRequestId(id).setApprove(r.nextBoolean()));
            case 6 -> b.setSafeModeOrder(SafeModeOrder.newBuilder().setReason(id));
            case 7 -> b.setModeReport(ModeReport.newBuilder().setModeValue(r.nextInt(9)));
            case 8 -> b.setResetWitness(ResetWitness.newBuilder().setReason(id));
            case 9 -> b.setTimeWitness(TimeWitness.newBuilder().setGuardianMonotonicMs(r.nextLong()));
            case 10 -> b.setError(LinkError.newBuilder().setCodeValue(r.nextInt(8)).setText(id)
                    .setInReplyToSeq(r.nextInt(6)));
            default -> b.setUnknownFields(UnknownFieldSet.newBuilder().addField(16 + r.nextInt(100),
                    UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8(id)).build()).build());
        }
        return b.build();
    }
}
