package io.waveos.agent.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The {@code telemetry} section: how often the collectors run and how {@code metrics.csv} is written.
 *
 * @param enabled false: no sampling, no {@code metrics.csv}, no sample listeners called
 * @param sampleInterval one sample per interval (default 60 s, at least 100 ms)
 * @param writeInterval buffered samples are appended and fsynced this often ("every N minutes";
 *     default 5 min; at least {@code sampleInterval})
 * @param maxFileBytes {@code metrics.csv} rotates before it would pass this size (at least 4 KiB)
 * @param keepFiles rotated files kept (0..100)
 */
public record TelemetryConfig(boolean enabled, Duration sampleInterval, Duration writeInterval, long maxFileBytes,
        int keepFiles) {
    public static final Duration MIN_SAMPLE_INTERVAL = Duration.ofMillis(100);

    public TelemetryConfig {
        Objects.requireNonNull(sampleInterval, "sampleInterval");
        Objects.requireNonNull(writeInterval, "writeInterval");
        if (sampleInterval.compareTo(MIN_SAMPLE_INTERVAL) < 0) {
            throw new IllegalArgumentException("sample_interval must be at least 100ms");
        }
        if (writeInterval.compareTo(sampleInterval) < 0) {
            throw new IllegalArgumentException("write_interval must be at least sample_interval");
        }
        if (maxFileBytes < 4096) {
            throw new IllegalArgumentException("max_file_size must be at least 4KiB");
        }
        if (keepFiles < 0 || keepFiles > 100) {
            throw new IllegalArgumentException("keep must be in [0, 100]");
        }
    }

    public static TelemetryConfig defaults() {
        return new TelemetryConfig(true, Duration.ofSeconds(60), Duration.ofMinutes(5), 8L << 20, 5);
    }
}
