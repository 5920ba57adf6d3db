package io.waveos.companion.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedOutputStream;
import io.waveos.companion.proto.AgentMode;
import io.waveos.companion.proto.CommandKind;
import io.waveos.companion.proto.CommandRequest;
import io.waveos.companion.proto.Envelope;
import io.waveos.companion.proto.Heartbeat;
import io.waveos.companion.proto.Risk;
import io.waveos.companion.proto.Sender;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class EnvelopeCodecTest {

    private final EnvelopeCodec codec = new EnvelopeCodec(TestLinks.deviceEncoder().maxPayloadBytes());

    private static Envelope heartbeat() {
        return Envelope.newBuilder()
                .setSender(Sender.SENDER_DEVICE)
                .setSeq(7)
                .setAck(3)
                .setHeartbeat(Heartbeat.newBuilder()
                        .setMode(AgentMode.AGENT_MODE_NORMAL)
                        .setLoopHealthy(true)
                        .setLoopLagMs(2)
                        .setSummary("ok"))
                .build();
    }

    @Test
    void roundTripsAnEnvelope() throws MalformedEnvelopeException {
        Envelope request = Envelope.newBuilder()
                .setSender(Sender.SENDER_DEVICE)
                .setSeq(1)
                .setExpectsReply(true)
                .setCommandRequest(CommandRequest.newBuilder()
                        .setId("01J0000000000000000000000")
                        .setKind(CommandKind.COMMAND_KIND_INSTALL)
                        .putParameters("bundle", "app-2.4.1")
                        .setRisk(Risk.RISK_HIGH))
                .build();
        assertEquals(request, codec.decode(codec.encode(request)));
        assertEquals(heartbeat(), codec.decode(codec.encode(heartbeat())));
    }

    @Test
    void reportsAnUnparsablePayloadWithItsSize() {
        MalformedEnvelopeException e = assertThrows(MalformedEnvelopeException.class,
                () -> codec.decode(new byte[] {0x0A, 0x7F, 0x01}));
        assertTrue(e.getMessage().contains("3 bytes is not a valid Envelope"), e.getMessage());
    }

    @Test
    void refusesEnvelopesLargerThanThePayloadLimit() {
        Envelope big = heartbeat().toBuilder()
                .setHeartbeat(Heartbeat.newBuilder().setSummary("x".repeat(codec.maxPayloadBytes())))
                .build();
        assertThrows(IllegalArgumentException.class, () -> codec.encode(big));
        assertThrows(MalformedEnvelopeException.class, () -> codec.decode(big.toByteArray()));
    }

    @Test
    void keepsAnUnknownMessageFromANewerPeerAsAnUnsetBodyWithItsFieldsPreserved()
            throws IOException, MalformedEnvelopeException {
        // A newer peer sends a message this version does not know, as body field 16.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeEnum(1, Sender.SENDER_GUARDIAN_VALUE);
        out.writeUInt64(2, 9);
        out.writeBool(4, true);
        out.writeByteArray(16, new byte[] {0x08, 0x01});
        out.flush();
        byte[] fromNewerPeer = bytes.toByteArray();

        Envelope parsed = codec.decode(fromNewerPeer);
        assertEquals(Envelope.BodyCase.BODY_NOT_SET, parsed.getBodyCase());
        assertTrue(parsed.getExpectsReply());
        assertEquals(9, parsed.getSeq());
        assertTrue(parsed.getUnknownFields().hasField(16));
        assertArrayEquals(fromNewerPeer, codec.encode(parsed));
    }

    @Test
    void ignoresUnknownFieldsInsideAKnownMessage() throws IOException, MalformedEnvelopeException {
        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        CodedOutputStream hb = CodedOutputStream.newInstance(inner);
        hb.writeEnum(1, AgentMode.AGENT_MODE_SAFE_VALUE);
        hb.writeUInt32(99, 12345);
        hb.flush();
        ByteArrayOutputStream outer = new ByteArrayOutputStream();
        CodedOutputStream env = CodedOutputStream.newInstance(outer);
        env.writeByteArray(7, inner.toByteArray());
        env.flush();

        Envelope parsed = codec.decode(outer.toByteArray());
        assertEquals(AgentMode.AGENT_MODE_SAFE, parsed.getHeartbeat().getMode());
        assertArrayEquals(outer.toByteArray(), codec.encode(parsed));
    }
}
