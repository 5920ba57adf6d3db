package io.waveos.agent.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the agent finds its policy (the {@code policy} section of {@code agent.yaml}; the language is
 * in {@code docs/policy.md}).
 *
 * @param file the policy shipped with the device; empty when only a bundle carries it
 * @param bundle the component of a signed config bundle whose active slot may carry the policy; when
 *     that slot holds {@code bundleFile}, it takes precedence over {@code file}
 * @param bundleFile the policy's path inside the slot, relative, without {@code ..}
 */
public record PolicyConfig(Optional<Path> file, Optional<String> bundle, String bundleFile) {
    /** Component names, as the bundle format allows them. */
    public static final Pattern COMPONENT = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    public static final String DEFAULT_BUNDLE_FILE = "policy.yaml";

    public PolicyConfig {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(bundleFile, "bundleFile");
        if (file.isEmpty() && bundle.isEmpty()) {
            throw new IllegalArgumentException("policy needs a file, a bundle, or both");
        }
        if (bundle.isPresent() && !COMPONENT.matcher(bundle.get()).matches()) {
            throw new IllegalArgumentException("policy.bundle must match " + COMPONENT.pattern());
        }
        Path p = Path.of(bundleFile);
        if (bundleFile.isBlank() || p.isAbsolute() || bundleFile.contains("..")) {
            throw new IllegalArgumentException("policy.bundle_file must be a relative path inside the slot, "
                    + "without '..'");
        }
    }
}
