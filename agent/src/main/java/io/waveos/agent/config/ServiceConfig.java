package io.waveos.agent.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One supervised service.
 *
 * @param essential essential services keep running in SAFE mode; their failure escalates to SAFE
 * @param allowedInSafeMode an optional service that keeps running in SAFE mode
 * @param dependsOn services that must be ready before this one starts, and stop after it
 */
public record ServiceConfig(
        String name,
        List<String> command,
        Map<String, EnvValue> environment,
        Optional<Path> workingDirectory,
        Optional<String> user,
        Optional<String> group,
        boolean essential,
        boolean allowedInSafeMode,
        List<String> dependsOn,
        ReadinessConfig ready,
        StopConfig stop,
        RestartConfig restart) {

    /** Service names are used in file names and events: a conservative alphabet. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,62}");

    public ServiceConfig {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("service name must match " + NAME + ": " + name);
        }
        if (command.isEmpty() || command.get(0).isBlank()) {
            throw new IllegalArgumentException("service " + name + " needs a command");
        }
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
        dependsOn = List.copyOf(dependsOn);
        Objects.requireNonNull(ready, "ready");
        Objects.requireNonNull(stop, "stop");
        Objects.requireNonNull(restart, "restart");
        if (dependsOn.contains(name)) {
            throw new IllegalArgumentException("service " + name + " depends on itself");
        }
    }

    /** True when this service runs in SAFE mode. */
    public boolean runsInSafeMode() {
        return essential || allowedInSafeMode;
    }
}
