package io.waveos.hil.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * YAML 1.2 text turned into {@link Item}s that remember their line: maps (string keys, in file
 * order, no duplicates), lists, and scalars kept as strings with their resolved tag. Custom tags,
 * non-string keys and duplicate keys are problems, not guesses.
 */
final class YamlTree {
    private YamlTree() {
    }

    /** What a scalar was resolved to; the text is kept as written. */
    enum Kind { MAP, LIST, STRING, INT, FLOAT, BOOL, NULL }

    /** One value and the 1-based line it starts on. */
    record Item(Kind kind, int line, String text, Map<String, Item> map, List<Item> list) {
        Item {
            map = map == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(map));
            list = list == null ? List.of() : List.copyOf(list);
        }

        String describe() {
            return switch (kind) {
                case MAP -> "a map";
                case LIST -> "a list";
                case STRING -> "a string";
                case INT -> "an int";
                case FLOAT -> "a float";
                case BOOL -> "a bool";
                case NULL -> "an empty value";
            };
        }
    }

    static Item parse(String file, String text, List<ScenarioException.Problem> problems) {
        LoadSettings settings = LoadSettings.builder().setLabel(file).setUseMarks(true)
                .setAllowRecursiveKeys(false).setMaxAliasesForCollections(20).build();
        try {
            Node root = new Compose(settings).composeString(text).orElse(null);
            if (root == null) {
                problems.add(new ScenarioException.Problem(file, 1, "", "the file is empty; expected a map"));
                return new Item(Kind.NULL, 1, "", null, null);
            }
            return convert(file, root, "", problems);
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().or(e::getContextMark).map(Mark::getLine).map(l -> l + 1).orElse(0);
            problems.add(new ScenarioException.Problem(file, line, "", "not valid YAML: " + e.getProblem()));
        } catch (YamlEngineException e) {
            problems.add(new ScenarioException.Problem(file, 0, "", "not valid YAML: " + e.getMessage()));
        }
        return new Item(Kind.NULL, 0, "", null, null);
    }

    private static int line(Node n) {
        return n.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }

    private static Item convert(String file, Node node, String path, List<ScenarioException.Problem> problems) {
        int line = line(node);
        if (node instanceof MappingNode m && Tag.MAP.equals(node.getTag())) {
            Map<String, Item> out = new LinkedHashMap<>();
            for (NodeTuple t : m.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode k) || !Tag.STR.equals(k.getTag())) {
                    problems.add(new ScenarioException.Problem(file, line(t.getKeyNode()), path,
                            "keys must be strings"));
                    continue;
                }
                String key = k.getValue();
                String child = path.isEmpty() ? key : path + "." + key;
                if (out.containsKey(key)) {
                    problems.add(new ScenarioException.Problem(file, line(k), child, "key written twice"));
                    continue;
                }
                out.put(key, convert(file, t.getValueNode(), child, problems));
            }
            return new Item(Kind.MAP, line, "", out, null);
        }
        if (node instanceof SequenceNode s && Tag.SEQ.equals(node.getTag())) {
            List<Item> out = new ArrayList<>();
            for (int i = 0; i < s.getValue().size(); i++) {
                out.add(convert(file, s.getValue().get(i), path + "[" + i + "]", problems));
            }
            return new Item(Kind.LIST, line, "", null, out);
        }
        if (node instanceof ScalarNode sc) {
            Tag tag = sc.getTag();
            Kind kind = Tag.STR.equals(tag) ? Kind.STRING : Tag.INT.equals(tag) ? Kind.INT
                    : Tag.FLOAT.equals(tag) ? Kind.FLOAT : Tag.BOOL.equals(tag) ? Kind.BOOL
                    : Tag.NULL.equals(tag) ? Kind.NULL : null;
            if (kind == null) {
                problems.add(new ScenarioException.Problem(file, line, path, "custom tags are not supported ("
                        + tag.getValue() + ")"));
                return new Item(Kind.NULL, line, "", null, null);
            }
            return new Item(kind, line, sc.getValue(), null, null);
        }
        problems.add(new ScenarioException.Problem(file, line, path, "unsupported YAML node"));
        return new Item(Kind.NULL, line, "", null, null);
    }
}
