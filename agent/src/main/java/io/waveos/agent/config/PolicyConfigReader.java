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
        if (NodeReader.isNull(node)) {
            return Optional.of(Optional.empty());
        }
        Optional<YamlMap> found = r.map(node, path, KEYS);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        YamlMap map = found.get();
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
