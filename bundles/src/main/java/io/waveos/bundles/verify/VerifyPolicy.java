package io.waveos.bundles.verify;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * What a device accepts, beyond the signatures.
 *
 * @param deviceClass the device's class; empty skips the check (tools without a target)
 * @param agentVersion the running agent's dotted numeric version; empty skips the check
 * @param floors component name to installed version floor; a bundle must have a version strictly
 *     above it (0 means no floor)
 * @param trustedNow from {@link TrustedTime#trustedNow}
 * @param maxBundleBytes cap on the whole archive as read (headers, padding, content)
 * @param maxManifestBytes cap on the {@code manifest.dsse.json} member
 * @param maxFiles cap on the number of payload files
 */
public record VerifyPolicy(
        Optional<String> deviceClass,
        Optional<String> agentVersion,
        ToLongFunction<String> floors,
        Instant trustedNow,
        long maxBundleBytes,
        int maxManifestBytes,
        int maxFiles) {

    public static final long DEFAULT_MAX_BUNDLE_BYTES = 4L << 30;
    public static final int DEFAULT_MAX_MANIFEST_BYTES = 1 << 20;
    public static final int DEFAULT_MAX_FILES = 10_000;

    public VerifyPolicy {
        Objects.requireNonNull(deviceClass, "deviceClass");
        Objects.requireNonNull(agentVersion, "agentVersion");
        Objects.requireNonNull(floors, "floors");
        Objects.requireNonNull(trustedNow, "trustedNow");
        if (maxBundleBytes < 0 || maxManifestBytes < 0 || maxFiles < 0) {
            throw new IllegalArgumentException("caps must not be negative");
        }
    }

    /** No device class, agent version or floor; default caps. */
    public static VerifyPolicy at(Instant trustedNow) {
        return new VerifyPolicy(Optional.empty(), Optional.empty(), c -> 0, trustedNow,
                DEFAULT_MAX_BUNDLE_BYTES, DEFAULT_MAX_MANIFEST_BYTES, DEFAULT_MAX_FILES);
    }

    public VerifyPolicy withDeviceClass(String cls) {
        return new VerifyPolicy(Optional.of(cls), agentVersion, floors, trustedNow, maxBundleBytes, maxManifestBytes, maxFiles);
    }

    public VerifyPolicy withAgentVersion(String version) {
        return new VerifyPolicy(deviceClass, Optional.of(version), floors, trustedNow, maxBundleBytes, maxManifestBytes, maxFiles);
    }

    public VerifyPolicy withFloors(ToLongFunction<String> componentFloors) {
        return new VerifyPolicy(deviceClass, agentVersion, componentFloors, trustedNow, maxBundleBytes, maxManifestBytes, maxFiles);
    }

    /** The same floor for every component. */
    public VerifyPolicy withFloor(long floor) {
        return withFloors(c -> floor);
    }

    public VerifyPolicy withCaps(long bundleBytes, int manifestBytes, int files) {
        return new VerifyPolicy(deviceClass, agentVersion, floors, trustedNow, bundleBytes, manifestBytes, files);
    }
}
