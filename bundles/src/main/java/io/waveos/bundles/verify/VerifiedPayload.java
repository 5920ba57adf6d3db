package io.waveos.bundles.verify;

import io.waveos.bundles.BundleError;
import io.waveos.bundles.BundleRejected;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * The payload of a bundle whose manifest passed preflight, streamed by re-reading the bundle through
 * the same verifier. Only {@link BundleVerifier#payload} makes one, so a sink fed by it may rely on
 * {@link PayloadSink}'s contract: {@link PayloadSink#completed} comes only after the file's size and
 * SHA-256 matched the manifest. The installer uses that to hash each byte once (here) instead of twice.
 *
 * <p>The bundle is read twice (preflight, then install); a file swapped in between is refused as
 * {@link BundleError#HASH_MISMATCH} on {@code manifest.dsse.json} before any payload byte reaches the sink.
 */
public final class VerifiedPayload {
    /** Opens the bundle afresh; the stream is closed by the caller of {@link #streamTo}. */
    @FunctionalInterface
    public interface Source {
        InputStream open() throws IOException;
    }

    private final BundleVerifier verifier;
    private final VerifiedManifest preflight;
    private final Source source;

    VerifiedPayload(BundleVerifier verifier, VerifiedManifest preflight, Source source) {
        this.verifier = verifier;
        this.preflight = Objects.requireNonNull(preflight, "preflight");
        this.source = Objects.requireNonNull(source, "source");
    }

    /** The manifest as preflight verified it. */
    public VerifiedManifest manifest() {
        return preflight;
    }

    /** Verifies the whole bundle again, streaming each payload file into {@code sink}. Call once. */
    public void streamTo(PayloadSink sink, Progress progress) throws BundleRejected, IOException {
        try (InputStream in = source.open()) {
            verifier.verify(in, sink, progress, again -> {
                if (!Arrays.equals(again.envelopeSha256(), preflight.envelopeSha256())) {
                    throw new BundleRejected(BundleError.HASH_MISMATCH, ManifestCheck.MEMBER,
                            "the bundle changed between preflight and install");
                }
            });
        }
    }
}
