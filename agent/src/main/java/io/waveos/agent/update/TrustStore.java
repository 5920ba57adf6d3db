package io.waveos.agent.update;

import io.waveos.agent.config.UpdatesConfig;
import io.waveos.agent.platform.WallClock;
import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.EventCode;
import io.waveos.bundles.BundleError;
import io.waveos.bundles.BundleRejected;
import io.waveos.bundles.json.Json;
import io.waveos.bundles.platform.SlotStorage;
import io.waveos.bundles.trust.TrustRoot;
import io.waveos.bundles.trust.TrustRootFile;
import io.waveos.bundles.verify.BundleVerifier;
import io.waveos.bundles.verify.TrustedTime;
import io.waveos.bundles.verify.VerifyPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The trust root in force and the trusted-time high-water mark.
 *
 * <p>The operator installs the first root at {@code updates.trust_root}; it must be signed by a
 * threshold of its own keys. Rotated roots are kept in {@code <state>/updates/roots/<version>.json}
 * and replayed in version order at start, each checked against the one before it (a threshold of the
 * old root's keys and of its own), so a rotation survives restarts and the chain is re-proved each time.
 *
 * <p>Time: devices may have no trustworthy clock, so expiry is judged at
 * {@link TrustedTime#trustedNow} of the wall clock and the latest {@code created} of any accepted
 * signed metadata, kept in {@code <state>/updates/trusted-time.json} (never lowered).
 */
final class TrustStore {
    private final SlotStorage files;
    private final Path rootFile;
    private final Path rootsDir;
    private final Path timeFile;
    private final WallClock wall;
    private Optional<TrustRoot> root = Optional.empty();
    private Instant latestSeen = Instant.EPOCH;

    TrustStore(SlotStorage files, Path rootFile, Path updatesDir, WallClock wall) {
        this.files = files;
        this.rootFile = rootFile;
        this.rootsDir = updatesDir.resolve("roots");
        this.timeFile = updatesDir.resolve("trusted-time.json");
        this.wall = wall;
    }

    /** Loads the installed root, replays the rotations; the events say which root is in force. */
    List<Event> load() throws BundleRejected, IOException {
        List<Event> out = new ArrayList<>();
        latestSeen = readLatestSeen();
        byte[] first = files.read(rootFile).orElseThrow(() -> new BundleRejected(BundleError.TRUST_ROOT_INVALID,
                rootFile.toString(), "the trust root file does not exist"));
        TrustRoot current = TrustRootFile.load(first);
        for (String name : files.list(rootsDir)) {
            if (!name.endsWith(".json")) {
                continue;
            }
            byte[] next = files.read(rootsDir.resolve(name)).orElseThrow();
            current = TrustRootFile.rotate(current, next, trustedNow());
        }
        root = Optional.of(current);
        out.add(Event.of(EventCode.UPDATE_RECOVERED, "update", "trust root in force",
                "trust_root_version", current.version(), "keys", current.keys().size()));
        return out;
    }

    /**
     * Accepts a new root signed by a threshold of the current root's keys and of its own, and keeps it
     * so that later starts replay it.
     */
    TrustRoot rotate(byte[] newRootFile) throws BundleRejected, IOException {
        TrustRoot next = TrustRootFile.rotate(current(), newRootFile, trustedNow());
        files.createDirectories(rootsDir);
        files.writeAtomically(rootsDir.resolve(String.format("%019d.json", next.version())), newRootFile);
        root = Optional.of(next);
        return next;
    }

    TrustRoot current() {
        return root.orElseThrow(() -> new IllegalStateException("no trust root loaded"));
    }

    Instant trustedNow() {
        return TrustedTime.trustedNow(wall.now(), latestSeen);
    }

    /** Raises the high-water mark to the {@code created} of accepted metadata (durably, before acting on it). */
    void sawSignedTime(Instant created) throws IOException {
        Instant raised = TrustedTime.raise(latestSeen, created);
        if (!raised.equals(latestSeen)) {
            files.createDirectories(timeFile.getParent());
            files.writeAtomically(timeFile,
                    Json.write(Map.of("latest_seen", raised.toString())).getBytes(StandardCharsets.UTF_8));
            latestSeen = raised;
        }
    }

    /**
     * A verifier for the device's class and the given version floors (read by the caller on the loop,
     * so a job never reads state the loop owns), at the trusted time.
     */
    BundleVerifier verifier(UpdatesConfig config, String agentVersion, Map<String, Long> floors) {
        Map<String, Long> copy = Map.copyOf(floors);
        VerifyPolicy policy = VerifyPolicy.at(trustedNow()).withDeviceClass(config.deviceClass())
                .withAgentVersion(agentVersion).withFloors(component -> copy.getOrDefault(component, 0L))
                .withCaps(config.maxBundleBytes(), VerifyPolicy.DEFAULT_MAX_MANIFEST_BYTES,
                        VerifyPolicy.DEFAULT_MAX_FILES);
        return new BundleVerifier(current(), policy);
    }

    private Instant readLatestSeen() throws IOException {
        Optional<byte[]> bytes = files.read(timeFile);
        if (bytes.isEmpty()) {
            return Instant.EPOCH;
        }
        try {
            Object seen = Json.parseObject(bytes.get()).get("latest_seen");
            return seen instanceof String s ? Instant.parse(s) : Instant.EPOCH;
        } catch (Json.ParseException | java.time.format.DateTimeParseException e) {
            throw new IOException(timeFile + ": not a trusted-time file: " + e.getMessage(), e);
        }
    }
}
