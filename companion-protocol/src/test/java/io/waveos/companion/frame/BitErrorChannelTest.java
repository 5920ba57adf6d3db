package io.waveos.companion.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.companion.proto.AgentMode;
import io.waveos.companion.proto.Envelope;
import io.waveos.companion.proto.Heartbeat;
import io.waveos.companion.proto.Sender;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A million authenticated 64-byte heartbeats through a channel that flips each bit with probability
 * 1e-3. No corrupted frame may be accepted, and exactly the frames that arrived intact (with the
 * delimiter before them intact) must be accepted.
 */
class BitErrorChannelTest {

    private static final int FRAMES = 1_000_000;
    private static final double BIT_ERROR_RATE = 1e-3;
    private static final int PAYLOAD_BYTES = 64;

    /** The heartbeat envelope sent with counter {@code c}, padded to exactly 64 bytes. */
    private static byte[] heartbeat(long c) {
        Envelope.Builder envelope = Envelope.newBuilder()
                .setSender(Sender.SENDER_DEVICE)
                .setSeq(c)
                .setAck(c / 2)
                .setHeartbeat(Heartbeat.newBuilder()
                        .setMode(AgentMode.AGENT_MODE_NORMAL)
                        .setLoopHealthy(true)
                        .setLoopLagMs((int) (c % 50)));
        int padding = PAYLOAD_BYTES - envelope.build().getSerializedSize() - 2;
        envelope.getHeartbeatBuilder().setSummary("s".repeat(padding));
        byte[] payload = envelope.build().toByteArray();
        assertEquals(PAYLOAD_BYTES, payload.length);
        return payload;
    }

    /** Bits until the next flip (at least 1): geometric with parameter p. */
    private static long gap(SplittableRandom random) {
        return 1 + (long) Math.floor(Math.log(1 - random.nextDouble()) / Math.log(1 - BIT_ERROR_RATE));
    }

    @Test
    void acceptsNoCorruptedFrameAndEveryIntactOneAtABitErrorRateOfOneInAThousand() {
        FrameEncoder encoder = TestLinks.deviceEncoder();
        FrameDecoder decoder = TestLinks.guardianDecoder();
        SplittableRandom random = new SplittableRandom(20240401L);

        BitSet intact = new BitSet(FRAMES + 1);
        BitSet accepted = new BitSet(FRAMES + 1);
        byte[] frame = new byte[FrameLimits.DEFAULT.maxEncodedBytes() + 1];
        byte[] batch = new byte[64 * 1024];
        int batchLength = 0;
        long bitPosition = 0;
        long nextFlip = gap(random) - 1;
        boolean previousDelimiterIntact = true;
        long corrupted = 0;

        for (long c = 1; c <= FRAMES; c++) {
            int n = encoder.encode(Frame.authenticated(1, c, heartbeat(c)), frame, 0);
            long frameEndBit = bitPosition + 8L * n;
            boolean clean = true;
            boolean delimiterIntact = true;
            while (nextFlip < frameEndBit) {
                int bit = (int) (nextFlip - bitPosition);
                frame[bit >>> 3] ^= (byte) (1 << (bit & 7));
                clean = false;
                delimiterIntact &= (bit >>> 3) != n - 1;
                nextFlip += gap(random);
            }
            bitPosition = frameEndBit;
            if (clean && previousDelimiterIntact) {
                intact.set((int) c);
            }
            if (!clean) {
                corrupted++;
            }
            previousDelimiterIntact = delimiterIntact;
            if (batchLength + n > batch.length) {
                receive(decoder, batch, batchLength, accepted);
                batchLength = 0;
            }
            System.arraycopy(frame, 0, batch, batchLength, n);
            batchLength += n;
        }
        receive(decoder, batch, batchLength, accepted);

        assertTrue(corrupted > FRAMES / 3, "the channel corrupted only " + corrupted + " frames");
        assertEquals(intact, accepted, "accepted frames differ from the intact ones; drops: "
                + decoder.dropCounts().byReason());
        assertEquals(intact.cardinality(), decoder.acceptedFrames());
        assertTrue(decoder.dropCounts().of(DropReason.BAD_CRC) > 0);
    }

    private static void receive(FrameDecoder decoder, byte[] batch, int length, BitSet accepted) {
        List<Frame> frames = decoder.feed(batch, 0, length);
        for (Frame f : frames) {
            long c = f.counter();
            assertTrue(c >= 1 && c <= FRAMES && !accepted.get((int) c), "unexpected counter " + c);
            // Every accepted frame is exactly the one sent with its counter.
            assertArrayEquals(heartbeat(c), f.payload(), "payload of counter " + c);
            accepted.set((int) c);
        }
    }
}
