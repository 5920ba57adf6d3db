package io.waveos.bundles.manifest;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A service an app bundle installs or changes. The library checks only the name; {@code spec} is the
 * whole JSON object, with the same keys as an entry of {@code services} in the agent's config, and
 * the agent validates it with the same rules (so a bundle cannot define a service the config could
 * not). A relative {@code command[0]} or {@code workdir} is resolved against the slot's folder.
 *
 * @param name the service name ({@code spec.name})
 * @param spec the parsed JSON object, unmodifiable, in the order given
 */
public record ServiceDefinition(String name, Map<String, Object> spec) {
    public ServiceDefinition {
        Objects.requireNonNull(name, "name");
        // Copied in order: the canonical manifest writer must write the keys as they were given.
        spec = Collections.unmodifiableMap(new LinkedHashMap<>(spec));
        if (!name.equals(spec.get("name"))) {
            throw new IllegalArgumentException("spec.name must be the service name " + name);
        }
    }
}
