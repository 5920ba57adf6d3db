package io.waveos.agent.update;

import io.waveos.bundles.BundleRejected;
import io.waveos.bundles.install.Activated;
import io.waveos.bundles.verify.VerifiedManifest;
import java.nio.file.Path;
import java.util.Optional;

/** What the update capability reacts to on the loop: its timers and the worker's results. */
public sealed interface UpdateInput {
    /** Time to list the inbox. */
    record Scan() implements UpdateInput {
    }

    /** The worker read and checked a bundle's manifest: exactly one of {@code manifest}, {@code rejected}. */
    record Preflighted(Path bundle, Optional<VerifiedManifest> manifest, Optional<BundleRejected> rejected)
            implements UpdateInput {
    }

    /** The worker wrote and activated the target slot, or the install was refused on the way. */
    record Staged(Path bundle, VerifiedManifest manifest, Optional<Activated> activated,
            Optional<BundleRejected> rejected) implements UpdateInput {
    }

    /** Time to judge the running trial; stale generations are ignored. */
    record TrialTick(long generation) implements UpdateInput {
    }
}
