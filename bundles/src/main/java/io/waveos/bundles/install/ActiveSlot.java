package io.waveos.bundles.install;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The slot a component runs from.
 *
 * @param slot {@code a} or {@code b}
 * @param dir the slot's folder; services resolve relative commands against it
 * @param mark {@link Mark#GOOD}, or {@link Mark#TRIAL} while a trial runs
 */
public record ActiveSlot(String component, String slot, Path dir, long version, String bundleId,
        String versionName, Mark mark) {
    public ActiveSlot {
        Objects.requireNonNull(component, "component");
        Objects.requireNonNull(slot, "slot");
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(bundleId, "bundleId");
        Objects.requireNonNull(versionName, "versionName");
        Objects.requireNonNull(mark, "mark");
    }
}
