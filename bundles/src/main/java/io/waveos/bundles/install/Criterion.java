package io.waveos.bundles.install;

import java.util.Optional;

/**
 * Why a trial failed and its slot was rolled back. The {@link #code()} strings are stable: they appear
 * in {@code state.json}, events and evidence, and {@code docs/updates.md} explains each. Add new ones
 * at the end.
 */
public enum Criterion {
    /** A service in {@code mustBeReady} was not ready at the end of the soak. */
    SERVICE_NOT_READY("service-not-ready"),
    /** The bundle's services restarted more often, in sum, than {@code maxRestarts}. */
    TOO_MANY_RESTARTS("too-many-restarts"),
    /** A service gave up (its restart ladder ran out). */
    SERVICE_FAILED("service-failed"),
    /** The device entered safe mode during the trial. */
    SAFE_MODE("safe-mode"),
    /** The agent restarted during the trial more often than allowed (a crash or power cut loop). */
    TRIAL_INTERRUPTED("trial-interrupted"),
    /** An operator asked for the rollback. */
    MANUAL("manual"),
    /** The trial passed but the commit was refused (by the Guardian, or the policy without one) or failed. */
    COMMIT_DENIED("commit-denied");

    private final String code;

    Criterion(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static Optional<Criterion> fromCode(String code) {
        for (Criterion c : values()) {
            if (c.code.equals(code)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
