package io.waveos.bundles.install;

import java.util.Objects;

/** {@link TrialJudge}'s answer. */
public sealed interface TrialVerdict {

    /** Nothing failed yet and the soak is not over: ask again later. */
    record Pending() implements TrialVerdict {
    }

    /** The soak is over and every criterion held: commit. */
    record Passed() implements TrialVerdict {
    }

    /** A criterion failed: roll back with this reason. */
    record Failed(RollbackReason reason) implements TrialVerdict {
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
