package io.waveos.bundles.install;

import java.util.Objects;
import java.util.Optional;

/**
 * The install in flight (or the last one), as {@code state.json} records it.
 *
 * @param target the slot being installed
 * @param previous the slot that was active when the install began, the rollback target
 * @param trialInterruptions how many restarts found this install in {@link Step#TRIAL}
 * @param reason present after a rollback
 */
public record Journal(String bundleId, long version, String target, Optional<String> previous, Step step,
        int trialInterruptions, Optional<RollbackReason> reason) {
    public Journal {
        Objects.requireNonNull(bundleId, "bundleId");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(reason, "reason");
        if (trialInterruptions < 0) {
            throw new IllegalArgumentException("trialInterruptions must not be negative");
        }
    }

    Journal at(Step newStep) {
        return new Journal(bundleId, version, target, previous, newStep, trialInterruptions, reason);
    }

    Journal interrupted() {
        return new Journal(bundleId, version, target, previous, step, trialInterruptions + 1, reason);
    }

    Journal rolledBack(RollbackReason why) {
        return new Journal(bundleId, version, target, previous, Step.ROLLED_BACK, trialInterruptions,
                Optional.of(why));
    }
}
