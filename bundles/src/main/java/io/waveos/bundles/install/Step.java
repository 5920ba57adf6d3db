package io.waveos.bundles.install;

/**
 * Where an install stands, as its journal in {@code state.json} records it. {@link #TARGET_BAD} and
 * {@link #TRIAL} are unfinished: {@link SlotInstaller#recover()} acts on them after a restart.
 */
public enum Step {
    /** The target slot is marked bad and may be partly written; the active slot is unchanged. */
    TARGET_BAD,
    /** The target slot is active and on trial; the previous slot is kept for a rollback. */
    TRIAL,
    /** The target passed its trial and is marked good. */
    COMMITTED,
    /** The target was rolled back; the journal keeps the reason. */
    ROLLED_BACK,
    /** A restart found the install before its activation; the target stays bad. */
    ABANDONED;

    /** Whether recovery has to act on an install left at this step. */
    public boolean unfinished() {
        return switch (this) {
            case TARGET_BAD, TRIAL -> true;
            case COMMITTED, ROLLED_BACK, ABANDONED -> false;
        };
    }
}
