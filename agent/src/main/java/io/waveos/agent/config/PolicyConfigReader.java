package io.waveos.agent.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads the {@code policy} section: {@code file}, {@code bundle}, {@code bundle_file}. */
final class PolicyConfigReader {
    static final List<String> KEYS = List.of("file", "bundle", "bundle_file");

    private final NodeReader r;

    PolicyConfigReader(NodeReader reader) {
        this.r = reader;
    }

    Optional<Optional<PolicyConfig>> read(Node node, String path) {
        Optional<Optional<YamlMap>> section = r.nullableMap(node, path, KEYS);
        if (section.isEmpty() || section.get().isEmpty()) {
            return section.map(absent -> Optional.empty());
        }
        YamlMap map = section.get().get();
        int mark = r.mark();
        Optional<Optional<Path>> file = map.nullable("file", r::absolutePath);
        Optional<Optional<String>> bundle = map.nullable("bundle", r::nonBlankString);
        Optional<String> bundleFile = map.optional("bundle_file", PolicyConfig.DEFAULT_BUNDLE_FILE,
                r::nonBlankString);
        if (!r.cleanSince(mark)) {
            return Optional.empty();
        }
        return r.build(node, path, () -> Optional.of(new PolicyConfig(file.orElseThrow(), bundle.orElseThrow(),
                bundleFile.orElseThrow())));
    }
}
