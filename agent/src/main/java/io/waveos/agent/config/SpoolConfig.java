package io.waveos.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The {@code spool} section (docs/spool.md, docs/config.md).
 *
 * @param enabled false: services' output goes only to the {@code output:} files, as before the spool
 * @param dir where segment files live (default {@code <logs>/spool})
 * @param durability when appended records are fsynced
 * @param batchRecords under {@code batch}: fsync after this many records (1..100000)
 * @param batchInterval under {@code batch}: fsync at most this long after the first unsynced record
 * @param segmentBytes a segment is closed before it would pass this size (at least 4 KiB)
 * @param segmentAge a segment older than this is closed at the next record
 * @param maxTotalBytes oldest segments are deleted while all segments together exceed this
 *     (at least twice {@code segmentBytes})
 * @param maxAge segments whose first record is older than this are deleted
 * @param maxLineBytes longer lines are cut into pieces of this size (64 B .. 1 MiB)
 * @param queueBytes bytes waiting for the writer; lines beyond it are dropped and counted
 * @param keepOutputFiles also write the per-service {@code output:} files (true when the config has
 *     an {@code output:} section)
 * @param forward targets the spool is forwarded to (none by default)
 */
public record SpoolConfig(boolean enabled, Path dir, Durability durability, int batchRecords, Duration batchInterval,
        long segmentBytes, Duration segmentAge, long maxTotalBytes, Duration maxAge, int maxLineBytes,
        long queueBytes, boolean keepOutputFiles, java.util.List<ForwardConfig> forward) {

    /** Without forwarding. */
    public SpoolConfig(boolean enabled, Path dir, Durability durability, int batchRecords, Duration batchInterval,
            long segmentBytes, Duration segmentAge, long maxTotalBytes, Duration maxAge, int maxLineBytes,
            long queueBytes, boolean keepOutputFiles) {
        this(enabled, dir, durability, batchRecords, batchInterval, segmentBytes, segmentAge, maxTotalBytes, maxAge,
                maxLineBytes, queueBytes, keepOutputFiles, java.util.List.of());
    }

    /** When records are fsynced; docs/spool.md gives each policy's loss window. */
    public enum Durability {
        ALWAYS, BATCH, NONE
    }

    public SpoolConfig {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(batchInterval, "batchInterval");
        Objects.requireNonNull(segmentAge, "segmentAge");
        Objects.requireNonNull(maxAge, "maxAge");
        forward = java.util.List.copyOf(forward);
        if (forward.stream().map(ForwardConfig::name).distinct().count() != forward.size()) {
            throw new IllegalArgumentException("forward target names must be unique");
        }
        if (batchRecords < 1 || batchRecords > 100_000) {
            throw new IllegalArgumentException("batch_records must be in [1, 100000]");
        }
        if (batchInterval.isNegative() || batchInterval.isZero()) {
            throw new IllegalArgumentException("batch_interval must be positive");
        }
        if (segmentBytes < 4096) {
            throw new IllegalArgumentException("segment_size must be at least 4KiB");
        }
        if (maxTotalBytes < 2 * segmentBytes) {
            throw new IllegalArgumentException("max_total_size must be at least twice segment_size");
        }
        if (segmentAge.isNegative() || segmentAge.isZero() || maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("segment_age and max_age must be positive");
        }
        if (maxLineBytes < 64 || maxLineBytes > 1024 * 1024) {
            throw new IllegalArgumentException("max_line must be in [64B, 1MiB]");
        }
        if (queueBytes < maxLineBytes) {
            throw new IllegalArgumentException("queue_size must be at least max_line");
        }
    }

    /** The same settings with the per-service output files on or off. */
    public SpoolConfig withOutputFiles(boolean files) {
        return new SpoolConfig(enabled, dir, durability, batchRecords, batchInterval, segmentBytes, segmentAge,
                maxTotalBytes, maxAge, maxLineBytes, queueBytes, files, forward);
    }

    public static SpoolConfig defaults(PathsConfig paths) {
        return new SpoolConfig(true, paths.logs().resolve("spool"), Durability.BATCH, 256, Duration.ofMillis(200),
                4L * 1024 * 1024, Duration.ofHours(1), 64L * 1024 * 1024, Duration.ofDays(7), 16 * 1024,
                1024L * 1024, false);
    }
}
