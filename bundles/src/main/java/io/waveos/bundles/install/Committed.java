package io.waveos.bundles.install;

import java.util.Objects;

/**
 * The trial passed: the slot is marked good and the floor raised.
 *
 * @param floor the component's floor after the commit (at least {@code version})
 */
public record Committed(String component, String slot, long version, String bundleId, long floor) {
    public Committed {
        Objects.requireNonNull(component, "component");
        Objects.requireNonNull(slot, "slot");
        Objects.requireNonNull(bundleId, "bundleId");
    }

    /** The outcome to report: success is reported only after the commit. */
    public InstallOutcome.Installed outcome() {
        return new InstallOutcome.Installed(component, version, bundleId);
    }
}
