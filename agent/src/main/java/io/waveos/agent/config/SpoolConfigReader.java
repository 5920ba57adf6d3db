package io.waveos.agent.config;

import io.waveos.agent.config.SpoolConfig.Durability;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads the {@code spool} section (docs/config.md, docs/spool.md). */
final class SpoolConfigReader {
    static final List<String> KEYS = List.of("enabled", "dir", "durability", "batch_records", "batch_interval",
            "segment_size", "segment_age", "max_total_size", "max_age", "max_line", "queue_size");

    private final NodeReader r;
    private final SpoolConfig defaults;

    /** @param outputFiles true when the configuration has an {@code output:} section (files are kept) */
    SpoolConfigReader(NodeReader reader, PathsConfig paths, boolean outputFiles) {
        this.r = reader;
        this.defaults = SpoolConfig.defaults(paths).withOutputFiles(outputFiles);
    }

    SpoolConfig defaults() {
        return defaults;
    }

    Optional<SpoolConfig> read(Node node, String path) {
        Optional<YamlMap> found = r.map(node, path, KEYS);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        YamlMap map = found.get();
        SpoolConfig d = defaults;
        int mark = r.mark();
        Optional<Boolean> enabled = map.optional("enabled", d.enabled(), r::bool);
        Optional<Path> dir = map.optional("dir", d.dir(), r::absolutePath);
        Optional<Durability> durability = map.optional("durability", d.durability(), this::durability);
        Optional<Integer> batchRecords = map.optional("batch_records", d.batchRecords(), r::integer);
        Optional<Duration> batchInterval = map.optional("batch_interval", d.batchInterval(), r::positiveDuration);
        Optional<Long> segmentBytes = map.optional("segment_size", d.segmentBytes(), r::size);
        Optional<Duration> segmentAge = map.optional("segment_age", d.segmentAge(), r::positiveDuration);
        Optional<Long> maxTotal = map.optional("max_total_size", d.maxTotalBytes(), r::size);
        Optional<Duration> maxAge = map.optional("max_age", d.maxAge(), r::positiveDuration);
        Optional<Long> maxLine = map.optional("max_line", (long) d.maxLineBytes(), r::size);
        Optional<Long> queue = map.optional("queue_size", d.queueBytes(), r::size);
        if (maxLine.isPresent() && (maxLine.get() < 64 || maxLine.get() > 1024 * 1024)) {
            r.problem(map.valueNode("max_line"), map.pathOf("max_line"), "must be in [64B, 1MiB]");
        }
        if (!r.cleanSince(mark)) {
            return Optional.empty();
        }
        return r.build(node, path, () -> new SpoolConfig(enabled.orElseThrow(), dir.orElseThrow(),
                durability.orElseThrow(), batchRecords.orElseThrow(), batchInterval.orElseThrow(),
                segmentBytes.orElseThrow(), segmentAge.orElseThrow(), maxTotal.orElseThrow(), maxAge.orElseThrow(),
                (int) (long) maxLine.orElseThrow(), queue.orElseThrow(), d.keepOutputFiles()));
    }

    private Optional<Durability> durability(Node node, String path) {
        Optional<String> text = r.string(node, path);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        for (Durability d : Durability.values()) {
            if (d.name().toLowerCase(Locale.ROOT).equals(text.get())) {
                return Optional.of(d);
            }
        }
        r.problem(node, path, "expected always, batch or none, got " + NodeReader.quote(text.get()));
        return Optional.empty();
    }
}
