package io.waveos.bundles.install;

import io.waveos.bundles.BundleRejected;
import io.waveos.bundles.verify.PayloadSink;
import java.io.IOException;

/**
 * Streams a bundle's verified payload into a sink, following {@link PayloadSink}'s contract. The
 * agent implements it by re-opening the bundle file and running the full streaming verifier, so a
 * bundle swapped on disk after the first verification is still caught (as a {@link BundleRejected}).
 */
@FunctionalInterface
public interface PayloadStream {
    void streamTo(PayloadSink sink) throws BundleRejected, IOException;
}
