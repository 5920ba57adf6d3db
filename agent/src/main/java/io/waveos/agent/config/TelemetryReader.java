package io.waveos.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads the {@code telemetry} and {@code evidence} sections (docs/config.md). */
final class TelemetryReader {
    static final List<String> TELEMETRY_KEYS = List.of("enabled", "sample_interval", "write_interval",
            "max_file_size", "keep");
    static final List<String> EVIDENCE_KEYS = List.of("enabled", "dir", "key", "max_pack_size", "max_total_size",
            "keep", "schedule", "min_interval", "metrics_window", "log_tail");

    private final NodeReader r;
    private final PathsConfig paths;

    TelemetryReader(NodeReader reader, PathsConfig paths) {
        this.r = reader;
        this.paths = paths;
    }

    Optional<TelemetryConfig> telemetry(Node node, String path) {
        Optional<YamlMap> found = r.map(node, path, TELEMETRY_KEYS);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        YamlMap map = found.get();
        TelemetryConfig d = TelemetryConfig.defaults();
        int mark = r.mark();
        Optional<Boolean> enabled = map.optional("enabled", d.enabled(), r::bool);
        Optional<Duration> sample = map.optional("sample_interval", d.sampleInterval(), r::positiveDuration);
        Optional<Duration> write = map.optional("write_interval", d.writeInterval(), r::positiveDuration);
        Optional<Long> max = map.optional("max_file_size", d.maxFileBytes(), r::size);
        Optional<Integer> keep = map.optional("keep", d.keepFiles(), r::integer);
        if (sample.isPresent() && write.isPresent() && write.get().compareTo(sample.get()) < 0) {
            String key = map.has("write_interval") ? "write_interval" : "sample_interval";
            r.problem(map.valueNode(key), map.pathOf(key), "write_interval (" + write.get().toSeconds()
                    + " s) must be at least sample_interval (" + sample.get().toSeconds() + " s)");
        }
        if (!r.cleanSince(mark)) {
            return Optional.empty();
        }
        // The record's own checks (minimums, write >= sample) become a problem at the section.
        return r.build(node, path, () -> new TelemetryConfig(enabled.orElseThrow(), sample.orElseThrow(),
                write.orElseThrow(), max.orElseThrow(), keep.orElseThrow()));
    }

    Optional<EvidenceConfig> evidence(Node node, String path) {
        Optional<YamlMap> found = r.map(node, path, EVIDENCE_KEYS);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        YamlMap map = found.get();
        EvidenceConfig d = EvidenceConfig.defaults(paths);
        int mark = r.mark();
        Optional<Boolean> enabled = map.optional("enabled", d.enabled(), r::bool);
        Optional<Path> dir = map.optional("dir", d.dir(), r::absolutePath);
        Optional<Path> key = map.optional("key", d.key(), r::absolutePath);
        Optional<Long> maxPack = map.optional("max_pack_size", d.maxPackBytes(), r::size);
        Optional<Long> maxTotal = map.optional("max_total_size", d.maxTotalBytes(), r::size);
        Optional<Integer> keep = map.optional("keep", d.keepPacks(), r::integer);
        Optional<Optional<Duration>> schedule = map.has("schedule")
                ? map.nullable("schedule", r::positiveDuration) : Optional.of(d.schedule());
        Optional<Duration> minInterval = map.optional("min_interval", d.minInterval(), r::duration);
        Optional<Duration> window = map.optional("metrics_window", d.metricsWindow(), r::positiveDuration);
        Optional<Long> tail = map.optional("log_tail", d.logTailBytes(), r::size);
        if (!r.cleanSince(mark)) {
            return Optional.empty();
        }
        return r.build(node, path, () -> new EvidenceConfig(enabled.orElseThrow(), dir.orElseThrow(),
                key.orElseThrow(), maxPack.orElseThrow(), maxTotal.orElseThrow(), keep.orElseThrow(),
                schedule.orElseThrow(), minInterval.orElseThrow(), window.orElseThrow(), tail.orElseThrow()));
    }
}
