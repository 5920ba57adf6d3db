package io.waveos.bundles.verify;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.waveos.bundles.BundleRejected;
import io.waveos.bundles.trust.TrustRoot;
import io.waveos.bundles.vectors.VectorFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Fuzzes the whole verifier (tar reader, envelope, manifest, members) with arbitrary bytes: only
 * {@link BundleRejected} or {@link IOException} may escape. Under {@code mvn test} it runs the seeds in
 * {@code BundleVerifierFuzzTestInputs} (a valid bundle and mutations of it); {@code JAZZER_FUZZ=1} fuzzes.
 *
 * <p>Input layout: mode byte (bit 0: verify the manifest only; bit 1: flip one byte of the good app
 * bundle at the position given by the next int instead of using the remaining bytes) | rest.
 */
class BundleVerifierFuzzTest {

    private static final TrustRoot ROOT = load();
    private static final byte[] GOOD = VectorFiles.read("good-app.wbundle");

    @FuzzTest
    void onlyRefusalsOrIoErrorsEscape(FuzzedDataProvider data) throws IOException {
        int mode = data.consumeInt(0, 3);
        byte[] bundle;
        if ((mode & 2) != 0) {
            bundle = GOOD.clone();
            int at = data.consumeInt(0, bundle.length - 1);
            bundle[at] ^= (byte) data.consumeInt(1, 255);
        } else {
            bundle = data.consumeRemainingAsBytes();
        }
        BundleVerifier verifier = new BundleVerifier(ROOT, VectorFiles.policy());
        try {
            if ((mode & 1) != 0) {
                verifier.verifyManifest(new ByteArrayInputStream(bundle));
            } else {
                verifier.verify(new ByteArrayInputStream(bundle), PayloadSink.discard());
            }
        } catch (BundleRejected expected) {
            // a refusal with a code is the correct outcome for hostile input
            if (expected.error() == null) {
                throw new AssertionError("refusal without a code", expected);
            }
        }
    }

    private static TrustRoot load() {
        try {
            return VectorFiles.root("trust-root.dsse.json");
        } catch (BundleRejected e) {
            throw new IllegalStateException(e);
        }
    }
}
