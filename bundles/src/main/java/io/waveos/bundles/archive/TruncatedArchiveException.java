package io.waveos.bundles.archive;

import io.waveos.bundles.BundleError;
import io.waveos.bundles.BundleRejected;
import java.io.IOException;
import java.util.Objects;

/**
 * Thrown by {@link TarReader#content()} streams when the archive ends before the member's declared
 * size: an {@link IOException} because {@link java.io.InputStream} cannot throw anything else, carrying
 * the {@link BundleError#TRUNCATED} refusal that callers should report.
 */
public final class TruncatedArchiveException extends IOException {

    private static final long serialVersionUID = 1L;

    private final BundleRejected rejection;

    public TruncatedArchiveException(BundleRejected rejection) {
        super(Objects.requireNonNull(rejection, "rejection").getMessage(), rejection);
        this.rejection = rejection;
    }

    /** The {@link BundleError#TRUNCATED} refusal naming the member. */
    public BundleRejected getRejection() {
        return rejection;
    }
}
