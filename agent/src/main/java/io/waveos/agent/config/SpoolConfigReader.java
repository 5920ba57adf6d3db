package io.waveos.agent.config;

import io.waveos.agent.config.SpoolConfig.Durability;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/** Reads the {@code spool} section (docs/config.md, docs/spool.md). */
final class SpoolConfigReader {
    static final List<String> KEYS = List.of("enabled", "dir", "durability", "batch_records", "batch_interval",
            "segment_size", "segment_age", "max_total_size", "max_age", "max_line", "queue_size", "forward");
    static final List<String> FORWARD_KEYS = List.of("name", "file", "url", "batch_records", "timeout");

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
        Optional<List<ForwardConfig>> forward = map.optional("forward", d.forward(), this::forward);
        if (maxLine.isPresent() && (maxLine.get() < 64 || maxLine.get() > 1024 * 1024)) {
            r.problem(map.valueNode("max_line"), map.pathOf("max_line"), "must be in [64B, 1MiB]");
        }
        if (!r.cleanSince(mark)) {
            return Optional.empty();
        }
        return r.build(node, path, () -> new SpoolConfig(enabled.orElseThrow(), dir.orElseThrow(),
                durability.orElseThrow(), batchRecords.orElseThrow(), batchInterval.orElseThrow(),
                segmentBytes.orElseThrow(), segmentAge.orElseThrow(), maxTotal.orElseThrow(), maxAge.orElseThrow(),
                (int) (long) maxLine.orElseThrow(), queue.orElseThrow(), d.keepOutputFiles(), forward.orElseThrow()));
    }

    private Optional<List<ForwardConfig>> forward(Node node, String path) {
        if (!(node instanceof SequenceNode seq) || !Tag.SEQ.equals(node.getTag())) {
            r.problem(node, path, "expected a list of forwarding targets, got " + NodeReader.describe(node));
            return Optional.empty();
        }
        int mark = r.mark();
        List<ForwardConfig> out = new ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < seq.getValue().size(); i++) {
            Node item = seq.getValue().get(i);
            String itemPath = NodeReader.index(path, i);
            target(item, itemPath).ifPresent(t -> {
                if (!names.add(t.name())) {
                    r.problem(item, itemPath + ".name", "duplicate forwarding target name " + NodeReader.quote(t.name()));
                }
                out.add(t);
            });
        }
        return r.cleanSince(mark) ? Optional.of(List.copyOf(out)) : Optional.empty();
    }

    private Optional<ForwardConfig> target(Node node, String path) {
        Optional<YamlMap> found = r.map(node, path, FORWARD_KEYS);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        YamlMap map = found.get();
        int mark = r.mark();
        Optional<String> name = map.required("name", "a name such as central", r::nonBlankString);
        Optional<Optional<Path>> file = map.has("file") ? map.required("file", "an absolute path", r::absolutePath).map(Optional::of)
                : Optional.of(Optional.empty());
        Optional<Optional<URI>> url = map.has("url") ? map.required("url", "an http:// URL", this::url).map(Optional::of)
                : Optional.of(Optional.empty());
        Optional<Integer> batch = map.optional("batch_records", 500, r::integer);
        Optional<Duration> timeout = map.optional("timeout", Duration.ofSeconds(10), r::positiveDuration);
        if (map.has("file") == map.has("url")) {
            r.problem(node, path, "expected exactly one of file and url");
        }
        if (!r.cleanSince(mark)) {
            return Optional.empty();
        }
        return r.build(node, path, () -> new ForwardConfig(name.orElseThrow(), file.orElseThrow(), url.orElseThrow(),
                batch.orElseThrow(), timeout.orElseThrow()));
    }

    private Optional<URI> url(Node node, String path) {
        Optional<String> text = r.string(node, path);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI u = new URI(text.get());
            if (("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null) {
                return Optional.of(u);
            }
        } catch (URISyntaxException e) {
            r.problem(node, path, "expected an http:// or https:// URL, got " + NodeReader.quote(text.get())
                    + " (" + e.getReason() + ")");
            return Optional.empty();
        }
        r.problem(node, path, "expected an http:// or https:// URL with a host, got " + NodeReader.quote(text.get()));
        return Optional.empty();
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
