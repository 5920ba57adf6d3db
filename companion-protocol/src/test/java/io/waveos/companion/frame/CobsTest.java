package io.waveos.companion.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CobsTest {

    private static final HexFormat HEX = HexFormat.of();

    /** {@code length} non-zero bytes cycling through 1..255, starting after {@code from}. */
    private static byte[] run(int length, int from) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) ((from + i) % 255 + 1);
        }
        return b;
    }

    private static byte[] decode(byte[] encoded) {
        byte[] out = new byte[Math.max(1, encoded.length)];
        int n = Cobs.decode(encoded, encoded.length, out);
        assertTrue(n >= 0, () -> "rejected " + HEX.formatHex(encoded));
        return Arrays.copyOf(out, n);
    }

    @Test
    void encodesTheReferenceExamples() {
        // Examples from Cheshire and Baker's paper and the Wikipedia article on COBS.
        assertEquals("01", HEX.formatHex(Cobs.encode(new byte[0])));
        assertEquals("0101", HEX.formatHex(Cobs.encode(HEX.parseHex("00"))));
        assertEquals("010101", HEX.formatHex(Cobs.encode(HEX.parseHex("0000"))));
        assertEquals("0311220233", HEX.formatHex(Cobs.encode(HEX.parseHex("11220033"))));
        assertEquals("0511223344", HEX.formatHex(Cobs.encode(HEX.parseHex("11223344"))));
        assertEquals("02110101", HEX.formatHex(Cobs.encode(HEX.parseHex("110000"))));
    }

    @Test
    void a254ByteRunAtTheEndIsOneFullBlockWithoutATrailingEmptyBlock() {
        byte[] raw = run(254, 1);
        byte[] encoded = Cobs.encode(raw);
        assertEquals(255, encoded.length);
        assertEquals((byte) 0xFF, encoded[0]);
        assertArrayEquals(raw, decode(encoded));
    }

    @Test
    void a255ByteRunIsAFullBlockAndABlockOfOne() {
        byte[] raw = run(255, 1);
        byte[] encoded = Cobs.encode(raw);
        assertEquals(257, encoded.length);
        assertEquals((byte) 0xFF, encoded[0]);
        assertEquals(2, encoded[255]);
        assertArrayEquals(raw, decode(encoded));
    }

    @Test
    void a254ByteRunFollowedByAZeroEndsWithTwoEmptyBlocks() {
        byte[] raw = TestLinks.concat(run(254, 1), new byte[1]);
        byte[] encoded = Cobs.encode(raw);
        assertEquals("0101", HEX.formatHex(encoded, encoded.length - 2, encoded.length));
        assertArrayEquals(raw, decode(encoded));
    }

    @Test
    void refusesTheNonCanonicalEmptyBlockAfterAFinalFullBlock() {
        byte[] nonCanonical = TestLinks.concat(Cobs.encode(run(254, 1)), new byte[] {1});
        assertEquals(-1, Cobs.decode(nonCanonical, nonCanonical.length, new byte[nonCanonical.length]));
    }

    @Test
    void refusesZeroBytesAndBlocksThatRunPastTheEnd() {
        assertEquals(-1, Cobs.decode(HEX.parseHex("0311"), 2, new byte[2]));
        assertEquals(-1, Cobs.decode(HEX.parseHex("00"), 1, new byte[1]));
        assertEquals(-1, Cobs.decode(HEX.parseHex("031100"), 3, new byte[3]));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 253, 254, 255, 256, 507, 508, 509, 510, 1000})
    void roundTripsRunsOfEveryInterestingLengthWithAndWithoutZeros(int length) {
        byte[] nonZero = run(length, 7);
        byte[] zeros = new byte[length];
        byte[] mixed = run(length, 3);
        for (int i = 0; i < length; i += 97) {
            mixed[i] = 0;
        }
        for (byte[] raw : new byte[][] {nonZero, zeros, mixed}) {
            byte[] encoded = Cobs.encode(raw);
            assertTrue(encoded.length <= Cobs.maxEncodedLength(length));
            for (byte b : encoded) {
                assertTrue(b != 0, "encoding contains 0x00");
            }
            assertArrayEquals(raw, decode(encoded));
        }
    }

    @Test
    void roundTripsRandomBytesAndEachEncodingIsTheOnlyOneAccepted() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 20_000; i++) {
            byte[] raw = new byte[random.nextInt(0, 700)];
            for (int k = 0; k < raw.length; k++) {
                // Mostly non-zero so that full blocks happen often.
                raw[k] = random.nextInt(8) == 0 ? 0 : (byte) random.nextInt(1, 256);
            }
            byte[] encoded = Cobs.encode(raw);
            byte[] decoded = decode(encoded);
            assertArrayEquals(raw, decoded);
            assertArrayEquals(encoded, Cobs.encode(decoded));
        }
    }
}
