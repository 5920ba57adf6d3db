package io.waveos.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code evidence} section: where signed evidence packs go, what they hold and how many are kept.
 *
 * @param enabled false: no packs (incidents are still events)
 * @param dir where packs are written (default {@code <logs>/evidence}; outside the slots)
 * @param key the device's Ed25519 signing key, created 0600 on first use (default
 *     {@code <state>/evidence_key.pem})
 * @param maxPackBytes cap of one pack (default 4 MiB, at least 64 KiB)
 * @param maxTotalBytes cap of all packs together; the oldest go first (default 64 MiB)
 * @param keepPacks at most this many packs (default 50)
 * @param schedule a pack this often without an incident; empty: never (default 24 h)
 * @param minInterval packs of the same kind and subject at most this often (default 10 min)
 * @param metricsWindow samples kept in memory for packs (default 15 min)
 * @param logTailBytes the last bytes of each involved service's stdout and stderr (default 64 KiB)
 */
public record EvidenceConfig(boolean enabled, Path dir, Path key, long maxPackBytes, long maxTotalBytes,
        int keepPacks, Optional<Duration> schedule, Duration minInterval, Duration metricsWindow,
        long logTailBytes) {
    public EvidenceConfig {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(minInterval, "minInterval");
        Objects.requireNonNull(metricsWindow, "metricsWindow");
        if (maxPackBytes < 64 * 1024) {
            throw new IllegalArgumentException("max_pack_size must be at least 64KiB");
        }
        if (maxTotalBytes < maxPackBytes) {
            throw new IllegalArgumentException("max_total_size must be at least max_pack_size");
        }
        if (keepPacks < 1 || keepPacks > 10_000) {
            throw new IllegalArgumentException("keep must be in [1, 10000]");
        }
        if (schedule.isPresent() && schedule.get().compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("schedule must be at least 1m");
        }
        if (metricsWindow.isZero() || metricsWindow.isNegative()) {
            throw new IllegalArgumentException("metrics_window must be greater than 0s");
        }
        if (logTailBytes < 0 || logTailBytes > maxPackBytes / 4) {
            throw new IllegalArgumentException("log_tail must be in [0B, max_pack_size / 4]");
        }
    }

    public static EvidenceConfig defaults(PathsConfig paths) {
        return new EvidenceConfig(true, paths.logs().resolve("evidence"), paths.state().resolve("evidence_key.pem"),
                4L << 20, 64L << 20, 50, Optional.of(Duration.ofHours(24)), Duration.ofMinutes(10),
                Duration.ofMinutes(15), 64L << 10);
    }
}
