package io.waveos.bundles.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.waveos.bundles.BundleRejected;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Feeds arbitrary bytes, in arbitrary read sizes, to {@link TarReader} under a small cap and reads every
 * member's content. Under {@code mvn test} it runs on the seeds in {@code TarReaderFuzzTestInputs};
 * with {@code JAZZER_FUZZ=1} it fuzzes.
 *
 * <p>Input layout (FuzzedDataProvider reads numbers from the end): archive bytes | read-size seed
 * (8 bytes) | cap choice (1 byte, 0..3).
 */
class TarReaderFuzzTest {

    private static final long[] CAPS = {1536, 4096, 20480, 131072};

    @FuzzTest
    void onlyRefusesOrFailsWithIoAndNeverReadsPastTheCap(FuzzedDataProvider data) throws IOException {
        long cap = CAPS[data.consumeInt(0, CAPS.length - 1)];
        long seed = data.consumeLong();
        byte[] archive = data.consumeRemainingAsBytes();
        ChoppyStream in = new ChoppyStream(archive, new SplittableRandom(seed));
        TarReader reader = new TarReader(in, cap);
        try {
            for (Optional<TarMember> m = reader.next(); m.isPresent(); m = reader.next()) {
                InputStream content = reader.content();
                long read = 0;
                byte[] buf = new byte[700];
                for (int n = content.read(buf); n >= 0; n = content.read(buf)) {
                    read += n;
                }
                assertEquals(m.get().size(), read, "content length differs from the declared size");
                assertTrue(reader.position() <= cap, "position above the cap");
            }
        } catch (BundleRejected | IOException expected) {
            // Refusals and truncation are the documented outcomes for hostile bytes.
        }
        assertTrue(reader.position() <= cap, () -> "position " + reader.position() + " above the cap " + cap);
        assertEquals(in.served, reader.position(), "position differs from the bytes taken from the stream");
    }

    /** Returns between 1 and 600 bytes per read, chosen by the seed, and counts what it gave out. */
    private static final class ChoppyStream extends FilterInputStream {
        private final SplittableRandom sizes;
        long served;

        ChoppyStream(byte[] data, SplittableRandom sizes) {
            super(new ByteArrayInputStream(data));
            this.sizes = sizes;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, Math.min(len, sizes.nextInt(1, 601)));
            served += Math.max(n, 0);
            return n;
        }

        @Override
        public int read() throws IOException {
            int n = super.read();
            served += n < 0 ? 0 : 1;
            return n;
        }
    }
}
