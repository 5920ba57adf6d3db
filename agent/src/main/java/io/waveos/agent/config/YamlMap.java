package io.waveos.agent.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;

/**
 * A YAML mapping with string keys, at a key path, whose values are read through a {@link NodeReader}
 * so that missing and mistyped values become problems. Made by {@link NodeReader#map} and
 * {@link NodeReader#openMap}, which already reported unknown, duplicate and non-string keys.
 */
public final class YamlMap {
    private final NodeReader reader;
    private final Node node;
    private final String path;
    private final Map<String, NodeTuple> entries;

    YamlMap(NodeReader reader, Node node, String path, Map<String, NodeTuple> entries) {
        this.reader = reader;
        this.node = node;
        this.path = path;
        this.entries = entries;
    }

    public Node node() {
        return node;
    }

    public String path() {
        return path;
    }

    /** The keys in file order. */
    public List<String> keys() {
        return List.copyOf(entries.keySet());
    }

    public boolean has(String key) {
        return entries.containsKey(key);
    }

    public Node keyNode(String key) {
        return entries.get(key).getKeyNode();
    }

    public Node valueNode(String key) {
        return entries.get(key).getValueNode();
    }

    public String pathOf(String key) {
        return NodeReader.child(path, key);
    }

    YamlMap retain(List<String> allowed) {
        Map<String, NodeTuple> kept = new LinkedHashMap<>(entries);
        kept.keySet().retainAll(allowed);
        return new YamlMap(reader, node, path, kept);
    }

    /** The value at {@code key}; a missing key is a problem naming what was {@code expected}. */
    public <T> Optional<T> required(String key, String expected, NodeReader.Read<T> read) {
        if (!has(key)) {
            reader.problem(node, pathOf(key), "missing required key (expected " + expected + ")");
            return Optional.empty();
        }
        return read.read(valueNode(key), pathOf(key));
    }

    /** The value at {@code key}, or {@code fallback} when the key is absent. */
    public <T> Optional<T> optional(String key, T fallback, NodeReader.Read<T> read) {
        if (!has(key)) {
            return Optional.of(fallback);
        }
        return read.read(valueNode(key), pathOf(key));
    }

    /**
     * The value at {@code key}, or an empty inner optional when the key is absent or explicitly
     * empty ({@code null} or nothing after the colon).
     */
    public <T> Optional<Optional<T>> nullable(String key, NodeReader.Read<T> read) {
        if (!has(key) || NodeReader.isNull(valueNode(key))) {
            return Optional.of(Optional.empty());
        }
        return read.read(valueNode(key), pathOf(key)).map(Optional::of);
    }
}
