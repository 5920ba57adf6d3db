package io.waveos.agent.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class RecordCodecTest {

    static SpoolRecord record(long sequence, String text) {
        return new SpoolRecord(sequence, 1_763_800_000_123_456L, 42_000_000L, "web", Stream.STDOUT, 0,
                text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void encodesTheDocumentedLayoutByteForByte() {
        byte[] bytes = RecordCodec.encode(new SpoolRecord(7, 1, 2, "ab", Stream.STDERR, SpoolRecord.PARTIAL,
                new byte[] {'h', 'i'}));
        String hex = HexFormat.of().formatHex(bytes);
        // magic, length 31 (27 fixed + 2 service + 2 payload), CRC, then the body fields in order.
        assertEquals("57535231" + "0000001f", hex.substring(0, 16));
        assertEquals("0000000000000007" + "0000000000000001" + "0000000000000002" + "01" + "02" + "02"
                + "6162" + "6869", hex.substring(24));
        assertEquals(bytes.length, RecordCodec.encodedLength(new SpoolRecord(7, 1, 2, "ab", Stream.STDERR, 0,
                new byte[2])));
    }

    @Test
    void decodesWhatItEncodes() {
        SpoolRecord r = record(99, "hello \u00e9");
        byte[] bytes = RecordCodec.encode(r);
        RecordCodec.Decoded d = assertInstanceOf(RecordCodec.Decoded.class, RecordCodec.decode(bytes, 0, bytes.length));
        assertEquals(r, d.record());
        assertEquals(bytes.length, d.end());
    }

    @Test
    void everyProperPrefixIsIncompleteNeverARecord() {
        byte[] bytes = RecordCodec.encode(record(1, "a line of text"));
        for (int cut = 0; cut < bytes.length; cut++) {
            assertInstanceOf(RecordCodec.Incomplete.class, RecordCodec.decode(bytes, 0, cut), "cut at " + cut);
        }
    }

    @Test
    void everyFlippedBitIsCaught() {
        byte[] clean = RecordCodec.encode(record(5, "payload"));
        for (int i = 0; i < clean.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] bytes = clean.clone();
                bytes[i] ^= (byte) (1 << bit);
                RecordCodec.Result r = RecordCodec.decode(bytes, 0, bytes.length);
                assertFalse(r instanceof RecordCodec.Decoded, "flip of bit " + bit + " of byte " + i + " passed");
            }
        }
    }

    @Test
    void anImpossibleLengthIsRefusedWithoutAllocating() {
        byte[] bytes = RecordCodec.encode(record(5, "x"));
        bytes[4] = 0x7f;
        RecordCodec.Invalid invalid = assertInstanceOf(RecordCodec.Invalid.class,
                RecordCodec.decode(bytes, 0, bytes.length));
        assertTrue(invalid.reason().contains("impossible body length"), invalid.reason());
    }

    @Test
    void binaryPayloadsAndInvalidUtf8SurviveUnchanged() {
        byte[] garbage = {0, (byte) 0xff, (byte) 0xc3, 0x28, '\r', 0x1b};
        SpoolRecord r = new SpoolRecord(3, 0, 0, "svc", Stream.STDOUT, 0, garbage);
        byte[] bytes = RecordCodec.encode(r);
        RecordCodec.Decoded d = assertInstanceOf(RecordCodec.Decoded.class, RecordCodec.decode(bytes, 0, bytes.length));
        assertEquals(r, d.record());
        assertTrue(d.record().text().contains("\ufffd"));
    }
}
