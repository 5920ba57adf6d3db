package io.waveos.bundles.install;

import java.util.Objects;
import java.util.Optional;

/**
 * The new slot was marked bad and the component switched back.
 *
 * @param version the version that was rolled back
 * @param restoredSlot the slot now active; empty when there was no good previous slot (a first
 *     install), and the component then has no active slot
 */
public record RolledBack(String component, long version, RollbackReason reason, Optional<String> restoredSlot)
        implements InstallOutcome {
    public RolledBack {
        Objects.requireNonNull(component, "component");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(restoredSlot, "restoredSlot");
    }
}
