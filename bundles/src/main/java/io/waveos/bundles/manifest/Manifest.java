package io.waveos.bundles.manifest;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The signed description of a bundle. Built by {@link ManifestCodec} from the envelope's payload,
 * which checks every rule and names the field that broke one; the constructor checks the invariants
 * a program could break.
 *
 * @param format the manifest format version ({@value #FORMAT})
 * @param bundleId unique per build, {@code [A-Za-z0-9._-]{1,64}}
 * @param component the component (slot pair) the bundle updates
 * @param version monotonic per component; at or below the installed floor is a rollback
 * @param versionName for people ({@code 2.3.1-rc1})
 * @param services for {@link Kind#APP} only; may be empty
 * @param trial for {@link Kind#APP} and {@link Kind#CONFIG}; empty means commit right after activation
 */
public record Manifest(
        int format,
        String bundleId,
        Kind kind,
        String component,
        long version,
        String versionName,
        Instant created,
        Instant expires,
        Compatibility compatibility,
        List<PayloadFile> files,
        List<ServiceDefinition> services,
        Optional<TrialCriteria> trial) {

    /** The only format version this library reads and writes. */
    public static final int FORMAT = 1;

    public Manifest {
        Objects.requireNonNull(bundleId, "bundleId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(component, "component");
        Objects.requireNonNull(versionName, "versionName");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(expires, "expires");
        Objects.requireNonNull(compatibility, "compatibility");
        files = List.copyOf(files);
        services = List.copyOf(services);
        Objects.requireNonNull(trial, "trial");
        if (version < 1) {
            throw new IllegalArgumentException("version must be positive: " + version);
        }
        if (!expires.isAfter(created)) {
            throw new IllegalArgumentException("expires must be after created");
        }
    }

    /** Sum of the declared payload sizes. */
    public long payloadBytes() {
        long sum = 0;
        for (PayloadFile f : files) {
            sum = Math.addExact(sum, f.size());
        }
        return sum;
    }
}
