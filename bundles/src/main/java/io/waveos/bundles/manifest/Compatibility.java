package io.waveos.bundles.manifest;

import java.util.List;
import java.util.Objects;

/**
 * Which devices may install a bundle.
 *
 * @param deviceClasses non-empty; the device's class must be one of them
 * @param minAgentVersion dotted numeric version ({@code 1.4.0}); the agent must be at least this
 */
public record Compatibility(List<String> deviceClasses, String minAgentVersion) {
    public Compatibility {
        deviceClasses = List.copyOf(deviceClasses);
        Objects.requireNonNull(minAgentVersion, "minAgentVersion");
        if (deviceClasses.isEmpty()) {
            throw new IllegalArgumentException("at least one device class");
        }
    }
}
