package io.waveos.companion.frame;

import static io.waveos.companion.frame.TestLinks.concat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameCodecTest {

    private final FrameEncoder device = TestLinks.deviceEncoder();
    private final FrameDecoder guardian = TestLinks.guardianDecoder();

    private static byte[] payload(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Frame auth(long counter, String text) {
        return Frame.authenticated(1, counter, payload(text));
    }

    /** Wire bytes of an arbitrary raw frame body: appends a correct CRC, stuffs, delimits. */
    private static byte[] wireOf(byte[] body) {
        CRC32 crc = new CRC32();
        crc.update(body);
        byte[] raw = Arrays.copyOf(body, body.length + 4);
        FrameLayout.putInt(raw, body.length, (int) crc.getValue());
        return concat(Cobs.encode(raw), new byte[1]);
    }

    /** The raw frame (un-stuffed, delimiter removed) of some wire bytes holding one frame. */
    private static byte[] rawOf(byte[] wire) {
        byte[] raw = new byte[wire.length];
        int n = Cobs.decode(wire, wire.length - 1, raw);
        assertTrue(n > 0);
        return Arrays.copyOf(raw, n);
    }

    private static List<Frame> feedAll(FrameDecoder decoder, byte[] bytes) {
        return decoder.feed(bytes, 0, bytes.length);
    }

    private static byte[] stream(FrameEncoder encoder, List<Frame> frames) {
        byte[] out = new byte[0];
        for (Frame f : frames) {
            out = concat(out, encoder.encode(f));
        }
        return out;
    }

    private static List<Frame> someFrames(int count) {
        List<Frame> frames = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 1; i <= count; i++) {
            byte[] p = new byte[random.nextInt(0, 300)];
            random.nextBytes(p);
            frames.add(Frame.authenticated(1, i, p));
        }
        return frames;
    }

    @Test
    void roundTripsAnAuthenticatedFrame() {
        Frame sent = auth(1, "hello guardian");
        assertEquals(List.of(sent), feedAll(guardian, device.encode(sent)));
        assertEquals(1, guardian.acceptedFrames());
        assertEquals(1, guardian.lastAcceptedCounter());
        assertEquals(0, guardian.dropCounts().total());
    }

    @Test
    void roundTripsAPlainFrameOnALinkWithoutKeys() {
        Frame sent = Frame.plain(payload("plain"));
        FrameDecoder decoder = FrameDecoder.plain(FrameLimits.DEFAULT);
        assertEquals(List.of(sent), feedAll(decoder, FrameEncoder.plain(FrameLimits.DEFAULT).encode(sent)));
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 12, 16, 32})
    void roundTripsWithEveryAllowedTagLength(int tagBytes) {
        FrameEncoder encoder = FrameEncoder.authenticated(FrameLimits.DEFAULT, TestLinks.device(tagBytes));
        FrameDecoder decoder = FrameDecoder.authenticated(FrameLimits.DEFAULT, TestLinks.guardian(tagBytes), 0);
        Frame sent = auth(5, "t");
        byte[] wire = encoder.encode(sent);
        assertEquals(1 + 1 + 8 + 1 + tagBytes + 4, rawOf(wire).length);
        assertEquals(List.of(sent), feedAll(decoder, wire));
    }

    @Test
    void wireBytesContainNoZeroExceptTheFinalDelimiter() {
        byte[] wire = device.encode(Frame.authenticated(1, 0x0100, new byte[40]));
        for (int i = 0; i < wire.length - 1; i++) {
            assertTrue(wire[i] != 0);
        }
        assertEquals(0, wire[wire.length - 1]);
    }

    @Test
    void decodesTheSameFramesWhenTheStreamIsSplitAtEveryByteBoundary() {
        List<Frame> sent = someFrames(4);
        byte[] bytes = stream(device, sent);
        for (int split = 0; split <= bytes.length; split++) {
            FrameDecoder decoder = TestLinks.guardianDecoder();
            List<Frame> got = new ArrayList<>(decoder.feed(bytes, 0, split));
            got.addAll(decoder.feed(bytes, split, bytes.length - split));
            assertEquals(sent, got, "split at " + split);
        }
        FrameDecoder byteByByte = TestLinks.guardianDecoder();
        List<Frame> got = new ArrayList<>();
        for (int i = 0; i < bytes.length; i++) {
            got.addAll(byteByByte.feed(bytes, i, 1));
        }
        assertEquals(sent, got);
    }

    @Test
    void decodesTheSameFramesUnderRandomChunking() {
        List<Frame> sent = someFrames(50);
        byte[] bytes = stream(device, sent);
        SplittableRandom random = new SplittableRandom(11);
        for (int round = 0; round < 200; round++) {
            FrameDecoder decoder = TestLinks.guardianDecoder();
            List<Frame> got = new ArrayList<>();
            int off = 0;
            while (off < bytes.length) {
                int len = Math.min(bytes.length - off, random.nextInt(0, 700));
                got.addAll(decoder.feed(bytes, off, len));
                off += len;
            }
            assertEquals(sent, got, "round " + round);
            assertEquals(0, decoder.dropCounts().total());
        }
    }

    @Test
    void dropsAndCountsGarbageBeforeAndBetweenFramesAndKeepsTheFrames() {
        Frame first = auth(1, "one");
        Frame second = auth(2, "two");
        byte[] garbage = payload("\u0013 line noise \u0001\u0002");
        byte[] bytes = concat(garbage, new byte[] {0}, device.encode(first), garbage, new byte[] {0},
                device.encode(second));
        assertEquals(List.of(first, second), feedAll(guardian, bytes));
        assertEquals(2, guardian.dropCounts().total());
    }

    @Test
    void dropsAnOversizedFrameResynchronisesAtTheNextDelimiterAndAcceptsTheNextFrame() {
        byte[] oversized = new byte[FrameLimits.DEFAULT.maxEncodedBytes() * 3];
        Arrays.fill(oversized, (byte) 0x55);
        Frame good = auth(1, "after the flood");
        List<Frame> got = feedAll(guardian, concat(oversized, new byte[] {0}, device.encode(good)));
        assertEquals(List.of(good), got);
        assertEquals(1, guardian.dropCounts().of(DropReason.OVERSIZE));
        assertEquals(1, guardian.dropCounts().total());
    }

    @Test
    void acceptsAFrameOfExactlyTheMaximumEncodedLengthAndDropsOneByteMore() {
        byte[] worstCase = new byte[device.maxPayloadBytes()];
        Arrays.fill(worstCase, (byte) 0x7E);
        byte[] wire = device.encode(Frame.authenticated(1, 1, worstCase));
        assertTrue(wire.length - 1 <= FrameLimits.DEFAULT.maxEncodedBytes());
        assertEquals(1, feedAll(guardian, wire).size());

        byte[] tooLong = new byte[FrameLimits.DEFAULT.maxEncodedBytes() + 1];
        Arrays.fill(tooLong, (byte) 0x7E);
        assertEquals(List.of(), feedAll(guardian, concat(tooLong, new byte[] {0})));
        assertEquals(1, guardian.dropCounts().of(DropReason.OVERSIZE));
    }

    @Test
    void holdsAnUnfinishedFrameWithinItsFixedBufferUntilTheDelimiterArrives() {
        byte[] wire = device.encode(auth(1, "partial"));
        assertEquals(List.of(), guardian.feed(wire, 0, wire.length - 1));
        assertEquals(wire.length - 1, guardian.bufferedBytes());
        assertEquals(1, guardian.feed(wire, wire.length - 1, 1).size());
        assertEquals(0, guardian.bufferedBytes());
    }

    @Test
    void dropsATruncatedFrameAndAcceptsTheNextOne() {
        byte[] wire = device.encode(auth(1, "this frame loses its tail"));
        byte[] truncated = concat(Arrays.copyOf(wire, wire.length / 2), new byte[] {0});
        Frame next = auth(2, "next");
        assertEquals(List.of(next), feedAll(guardian, concat(truncated, device.encode(next))));
        assertEquals(1, guardian.dropCounts().total());
    }

    @Test
    void dropsRunsShorterThanAnyFrameAsTooShort() {
        feedAll(guardian, new byte[] {2, 0x10, 0});
        assertEquals(1, guardian.dropCounts().of(DropReason.TOO_SHORT));
    }

    @Test
    void ignoresEmptyFramesBetweenDelimitersWithoutCountingThem() {
        Frame sent = auth(1, "x");
        assertEquals(List.of(sent), feedAll(guardian, concat(new byte[] {0, 0, 0}, device.encode(sent), new byte[] {0})));
        assertEquals(0, guardian.dropCounts().total());
    }

    @Test
    void dropsAFrameWithABadCrc() {
        byte[] raw = rawOf(device.encode(auth(1, "crc")));
        raw[raw.length - 1] ^= 0x01;
        assertEquals(List.of(), feedAll(guardian, concat(Cobs.encode(raw), new byte[] {0})));
        assertEquals(1, guardian.dropCounts().of(DropReason.BAD_CRC));
    }

    @Test
    void dropsAFrameWithABadTagEvenWhenItsCrcIsRight() {
        byte[] raw = rawOf(device.encode(auth(1, "tag")));
        byte[] body = Arrays.copyOf(raw, raw.length - 4);
        body[body.length - 1] ^= 0x40;
        assertEquals(List.of(), feedAll(guardian, wireOf(body)));
        assertEquals(1, guardian.dropCounts().of(DropReason.BAD_TAG));
    }

    @Test
    void dropsAFrameWhosePayloadWasAlteredAndItsCrcRecomputed() {
        byte[] raw = rawOf(device.encode(auth(1, "pay 10 coins")));
        byte[] body = Arrays.copyOf(raw, raw.length - 4);
        body[FrameLayout.AUTH_PAYLOAD_OFFSET + 4] = '9';
        assertEquals(List.of(), feedAll(guardian, wireOf(body)));
        assertEquals(1, guardian.dropCounts().of(DropReason.BAD_TAG));
    }

    @Test
    void refusesAPlainFrameWhenAKeyIsConfigured() {
        byte[] wire = FrameEncoder.plain(FrameLimits.DEFAULT).encode(Frame.plain(payload("sneaky")));
        assertEquals(List.of(), feedAll(guardian, wire));
        assertEquals(1, guardian.dropCounts().of(DropReason.UNAUTHENTICATED));
    }

    @Test
    void refusesAFrameSignedWithAKeyIdItDoesNotHold() {
        FrameEncoder other = FrameEncoder.authenticated(FrameLimits.DEFAULT,
                LinkAuth.of(Endpoint.DEVICE, 16, TestLinks.KEYS_2));
        assertEquals(List.of(), feedAll(guardian, other.encode(Frame.authenticated(2, 1, payload("k2")))));
        assertEquals(1, guardian.dropCounts().of(DropReason.UNKNOWN_KEY));
    }

    @Test
    void aDecoderWithoutKeysRefusesAuthenticatedFramesItCannotVerify() {
        FrameDecoder plain = FrameDecoder.plain(FrameLimits.DEFAULT);
        assertEquals(List.of(), feedAll(plain, device.encode(auth(1, "x"))));
        assertEquals(1, plain.dropCounts().of(DropReason.UNKNOWN_KEY));
    }

    @Test
    void refusesAFrameReflectedBackToItsSender() {
        FrameDecoder deviceSide = FrameDecoder.authenticated(FrameLimits.DEFAULT, TestLinks.device(16), 0);
        assertEquals(List.of(), feedAll(deviceSide, device.encode(auth(1, "echo"))));
        assertEquals(1, deviceSide.dropCounts().of(DropReason.BAD_TAG));
    }

    @Test
    void refusesAReplayedFrameAndAnOlderCounter() {
        byte[] five = device.encode(auth(5, "five"));
        assertEquals(1, feedAll(guardian, five).size());
        assertEquals(List.of(), feedAll(guardian, five));
        assertEquals(List.of(), feedAll(guardian, device.encode(auth(4, "four"))));
        assertEquals(2, guardian.dropCounts().of(DropReason.REPLAY));
        assertEquals(1, feedAll(guardian, device.encode(auth(6, "six"))).size());
    }

    @Test
    void resumesReplayProtectionFromTheCounterItWasGiven() {
        FrameDecoder restarted = FrameDecoder.authenticated(FrameLimits.DEFAULT, TestLinks.guardian(16), 10);
        assertEquals(List.of(), feedAll(restarted, device.encode(auth(10, "old"))));
        assertEquals(1, restarted.dropCounts().of(DropReason.REPLAY));
        assertEquals(1, feedAll(restarted, device.encode(auth(11, "new"))).size());
    }

    @Test
    void comparesCountersAsUnsigned64BitNumbers() {
        long above = 0x8000_0000_0000_0001L;
        FrameDecoder decoder = FrameDecoder.authenticated(FrameLimits.DEFAULT, TestLinks.guardian(16), Long.MAX_VALUE);
        assertEquals(1, feedAll(decoder, device.encode(auth(above, "high"))).size());
        assertEquals(List.of(), feedAll(decoder, device.encode(auth(Long.MAX_VALUE, "low"))));
    }

    @Test
    void dropsAFrameOfAnUnknownVersionEvenWithAValidCrc() {
        byte[] raw = rawOf(device.encode(auth(1, "v2")));
        byte[] body = Arrays.copyOf(raw, raw.length - 4);
        body[0] = 0x21;
        assertEquals(List.of(), feedAll(guardian, wireOf(body)));
        assertEquals(1, guardian.dropCounts().of(DropReason.BAD_VERSION));
    }

    @Test
    void dropsAFrameWithAReservedFlagSet() {
        byte[] raw = rawOf(device.encode(auth(1, "flags")));
        byte[] body = Arrays.copyOf(raw, raw.length - 4);
        body[0] = 0x13;
        assertEquals(List.of(), feedAll(guardian, wireOf(body)));
        assertEquals(1, guardian.dropCounts().of(DropReason.BAD_FLAGS));
    }

    @Test
    void acceptsBothKeyGenerationsDuringARotationAndKeepsOneCounterAcrossThem() {
        FrameDecoder rotating = FrameDecoder.authenticated(FrameLimits.DEFAULT,
                LinkAuth.of(Endpoint.GUARDIAN, 16, TestLinks.KEYS_2, TestLinks.KEYS_1), 0);
        FrameEncoder next = FrameEncoder.authenticated(FrameLimits.DEFAULT,
                LinkAuth.of(Endpoint.DEVICE, 16, TestLinks.KEYS_2));
        assertEquals(1, feedAll(rotating, device.encode(auth(1, "old key"))).size());
        assertEquals(1, feedAll(rotating, next.encode(Frame.authenticated(2, 2, payload("new key")))).size());
        assertEquals(List.of(), feedAll(rotating, device.encode(auth(2, "old key, old counter"))));
        assertEquals(1, rotating.dropCounts().of(DropReason.REPLAY));
    }

    @Test
    void encoderRefusesPayloadsOverTheLimitAndFramesItCannotSignHonestly() {
        assertThrows(IllegalArgumentException.class,
                () -> device.encode(Frame.authenticated(1, 1, new byte[device.maxPayloadBytes() + 1])));
        assertThrows(IllegalArgumentException.class, () -> device.encode(Frame.plain(payload("x"))));
        assertThrows(IllegalArgumentException.class, () -> device.encode(Frame.authenticated(2, 1, payload("x"))));
        assertThrows(IllegalArgumentException.class,
                () -> FrameEncoder.plain(FrameLimits.DEFAULT).encode(auth(1, "x")));
    }

    @Test
    void derivesPayloadLimitsFromTheEncodedFrameLimit() {
        assertEquals(509, FrameLimits.DEFAULT.maxRawBytes());
        assertEquals(504, FrameLimits.DEFAULT.maxPlainPayloadBytes());
        assertEquals(479, FrameLimits.DEFAULT.maxAuthenticatedPayloadBytes(16));
        assertEquals(479, device.maxPayloadBytes());
    }

    @Test
    void encodesTheSameFrameToTheSameBytes() {
        assertArrayEquals(device.encode(auth(9, "same")), TestLinks.deviceEncoder().encode(auth(9, "same")));
    }
}
