package io.waveos.bundles.install;

import java.util.Objects;
import java.util.Optional;

/**
 * Steps 1 to 7 are done: the new slot is written, verified and active, on trial. The caller restarts
 * the bundle's services from {@code slot.dir()} and judges the trial, then calls
 * {@link SlotInstaller#commit} or {@link SlotInstaller#rollBack}.
 *
 * @param previousSlot the slot a rollback returns to; empty on a first install
 */
public record Activated(ActiveSlot slot, Optional<String> previousSlot) {
    public Activated {
        Objects.requireNonNull(slot, "slot");
        Objects.requireNonNull(previousSlot, "previousSlot");
    }
}
