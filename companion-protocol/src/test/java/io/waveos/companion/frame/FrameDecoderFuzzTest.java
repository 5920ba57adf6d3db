package io.waveos.companion.frame;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * Fuzzes the decoder with arbitrary bytes in arbitrary chunks. Under {@code mvn test} it runs on the
 * seed inputs in {@code FrameDecoderFuzzTestInputs}; with {@code JAZZER_FUZZ=1} it fuzzes.
 *
 * <p>Input layout (FuzzedDataProvider reads numbers from the end): stream bytes | chunk seed (8 bytes)
 * | mode (1 byte: bit 0 = link with key 1, bit 1 = the smallest frame limit).
 */
class FrameDecoderFuzzTest {

    @FuzzTest
    void neverThrowsStaysBoundedAndAcceptsOnlyFramesThatReEncodeToTheBytesReceived(FuzzedDataProvider data) {
        int mode = data.consumeInt(0, 3);
        long chunkSeed = data.consumeLong();
        byte[] stream = data.consumeRemainingAsBytes();
        boolean keyed = (mode & 1) != 0;
        FrameLimits limits = (mode & 2) != 0 ? new FrameLimits(FrameLimits.MIN_MAX_ENCODED_BYTES) : FrameLimits.DEFAULT;
        FrameDecoder decoder = keyed
                ? FrameDecoder.authenticated(limits, TestLinks.guardian(16), 0)
                : FrameDecoder.plain(limits);
        FrameEncoder encoder = keyed
                ? FrameEncoder.authenticated(limits, TestLinks.device(16))
                : FrameEncoder.plain(limits);

        SplittableRandom chunks = new SplittableRandom(chunkSeed);
        long lastCounter = 0;
        int off = 0;
        while (off < stream.length) {
            int len = Math.min(stream.length - off, chunks.nextInt(0, 80));
            for (Frame frame : decoder.feed(stream, off, len)) {
                byte[] wire = encoder.encode(frame);
                assertTrue(occursAfterADelimiter(stream, wire),
                        () -> "accepted " + frame + " but " + HexFormat.of().formatHex(wire) + " was not received");
                if (keyed) {
                    assertTrue(Long.compareUnsigned(frame.counter(), lastCounter) > 0, "counter went backwards");
                    lastCounter = frame.counter();
                }
            }
            assertTrue(decoder.bufferedBytes() <= limits.maxEncodedBytes(), "buffer above its limit");
            off += len;
        }
        long delimiters = 0;
        for (byte b : stream) {
            delimiters += b == 0 ? 1 : 0;
        }
        long events = decoder.acceptedFrames() + decoder.dropCounts().total();
        assertTrue(events <= delimiters + 1, events + " outcomes from " + delimiters + " delimiters");
    }

    /** Whether {@code wire} (ending with its delimiter) occurs in {@code stream} at the start or after a 0x00. */
    private static boolean occursAfterADelimiter(byte[] stream, byte[] wire) {
        outer:
        for (int i = 0; i + wire.length <= stream.length; i++) {
            if (i > 0 && stream[i - 1] != 0) {
                continue;
            }
            for (int k = 0; k < wire.length; k++) {
                if (stream[i + k] != wire[k]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
