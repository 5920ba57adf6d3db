package io.waveos.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads the {@code updates} section; the inbox defaults to {@code <state>/inbox}. */
final class UpdatesReader {
    static final List<String> KEYS = List.of("trust_root", "inbox", "device_class", "max_bundle_size",
            "space_margin", "scan_interval");

    private final NodeReader r;
    private final Path stateDir;

    UpdatesReader(NodeReader reader, Path stateDir) {
        this.r = reader;
        this.stateDir = stateDir;
    }

    Optional<Optional<UpdatesConfig>> read(Node node, String path) {
        Optional<Optional<YamlMap>> section = r.nullableMap(node, path, KEYS);
        if (section.isEmpty() || section.get().isEmpty()) {
            return section.map(absent -> Optional.empty());
        }
        YamlMap map = section.get().get();
        int mark = r.mark();
        Optional<Path> trustRoot = map.optional("trust_root", UpdatesConfig.DEFAULT_TRUST_ROOT, r::absolutePath);
        Optional<Path> inbox = map.optional("inbox", stateDir.resolve("inbox"), r::absolutePath);
        Optional<String> deviceClass = map.required("device_class",
                "this device's class, matching " + UpdatesConfig.DEVICE_CLASS, this::deviceClass);
        Optional<Long> maxBundle = map.optional("max_bundle_size", UpdatesConfig.DEFAULT_MAX_BUNDLE_BYTES, r::size);
        Optional<Long> margin = map.optional("space_margin", UpdatesConfig.DEFAULT_SPACE_MARGIN_BYTES, r::size);
        Optional<Duration> scan = map.optional("scan_interval", UpdatesConfig.DEFAULT_SCAN_INTERVAL,
                r::positiveDuration);
        if (maxBundle.isPresent() && maxBundle.get() <= 0) {
            r.problem(map.valueNode("max_bundle_size"), map.pathOf("max_bundle_size"), "expected a size above 0");
        }
        if (!r.cleanSince(mark)) {
            return Optional.empty();
        }
        return r.build(node, path, () -> Optional.of(new UpdatesConfig(trustRoot.orElseThrow(), inbox.orElseThrow(),
                deviceClass.orElseThrow(), maxBundle.orElseThrow(), margin.orElseThrow(), scan.orElseThrow())));
    }

    private Optional<String> deviceClass(Node node, String path) {
        Optional<String> s = r.nonBlankString(node, path);
        if (s.isPresent() && !UpdatesConfig.DEVICE_CLASS.matcher(s.get()).matches()) {
            r.problem(node, path, "expected letters, digits, '.', '_' or '-' (at most 64), got "
                    + NodeReader.quote(s.get()));
            return Optional.empty();
        }
        return s;
    }
}
