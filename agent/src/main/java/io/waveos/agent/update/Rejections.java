package io.waveos.agent.update;

import io.waveos.bundles.BundleError;
import io.waveos.bundles.BundleRejected;
import java.io.IOException;
import java.nio.file.Path;

/** Refusals the update capability makes itself (the library makes the rest). */
final class Rejections {
    private Rejections() {
    }

    static BundleRejected io(Path bundle, IOException e) {
        return new BundleRejected(BundleError.STORAGE_FAILED, bundle.getFileName().toString(),
                "could not read the bundle: " + e.getMessage(), e);
    }

    static BundleRejected incompatible(String member, String why) {
        return new BundleRejected(BundleError.INCOMPATIBLE, member, why);
    }

    static BundleRejected notApproved(String what, String reason) {
        return new BundleRejected(BundleError.NOT_APPROVED, what, "refused: " + reason);
    }
}
