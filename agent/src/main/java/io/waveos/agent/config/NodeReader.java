package io.waveos.agent.config;

import io.waveos.agent.config.ConfigException.ConfigProblem;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
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
 * Reads typed values out of a composed YAML node tree and records a {@link ConfigProblem} for every
 * mismatch, so that one pass reports everything that is wrong.
 *
 * <p>Every read returns {@code Optional.empty()} only after recording a problem; callers therefore
 * build a record only when {@link #cleanSince} holds. Type errors describe what was found ("got an
 * int"), never the value itself; only the readers of closed vocabularies (durations, sizes, choices)
 * quote the offending text. Single use, not thread-safe.
 */
public final class NodeReader {

    /** Reads one value at a key path; returns empty after recording a problem. */
    @FunctionalInterface
    public interface Read<T> {
        Optional<T> read(Node node, String path);
    }

    private static final int MAX_QUOTED = 40;

    private final String file;
    private final List<ConfigProblem> problems = new ArrayList<>();

    public NodeReader(String file) {
        this.file = file;
    }

    /** Aliases are rarely needed in a config file; the cap bounds "billion laughs" expansion. */
    private static final int MAX_ALIASES = 50;

    /**
     * Composes YAML 1.2 text into a node tree with line marks (used by {@link ConfigLoader} and the
     * policy loader).
     *
     * @param whenEmpty the problem reported for an empty document
     * @throws ConfigException naming the file and line of a syntax error, never quoting the text
     */
    public static Node compose(String fileName, String yamlText, String whenEmpty) throws ConfigException {
        LoadSettings settings = LoadSettings.builder()
                .setLabel(fileName)
                .setUseMarks(true)
                .setAllowRecursiveKeys(false)
                .setMaxAliasesForCollections(MAX_ALIASES)
                .build();
        try {
            return new Compose(settings).composeString(yamlText).orElseThrow(() -> single(fileName, 1, whenEmpty));
        } catch (MarkedYamlEngineException e) {
            // Only the parser's problem and context, never getMessage(): that quotes a snippet of the
            // file, which may hold a secret.
            int line = e.getProblemMark().or(e::getContextMark).map(Mark::getLine).map(l -> l + 1).orElse(0);
            String context = e.getContext() == null || e.getContext().isBlank() ? "" : " (" + e.getContext() + ")";
            throw single(fileName, line, "not valid YAML: " + e.getProblem() + context);
        } catch (YamlEngineException e) {
            throw single(fileName, 0, "not valid YAML: " + e.getMessage());
        }
    }

    private static ConfigException single(String file, int line, String message) {
        return new ConfigException(List.of(new ConfigProblem(file, line, "", message)));
    }

    /** The problems so far, ordered by line (problems on one line keep their discovery order). */
    public List<ConfigProblem> problems() {
        return problems.stream().sorted(Comparator.comparingInt(ConfigProblem::line)).toList();
    }

    /** A marker for {@link #cleanSince}. */
    public int mark() {
        return problems.size();
    }

    /** True when no problem was recorded after {@code mark}. */
    public boolean cleanSince(int mark) {
        return problems.size() == mark;
    }

    public void problem(Node at, String path, String message) {
        problem(line(at), path, message);
    }

    public void problem(int line, String path, String message) {
        problems.add(new ConfigProblem(file, line, path, message));
    }

    /** The 1-based line where {@code node} starts, 0 when unknown. */
    public static int line(Node node) {
        return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }

    /** "a" + key path child: {@code a.b}, or {@code b} at the top level. */
    public static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    public static String index(String path, int i) {
        return path + "[" + i + "]";
    }

    /** What kind of value a node is, for "expected X, got Y" messages; never the value. */
    public static String describe(Node node) {
        Tag tag = node.getTag();
        if (node instanceof MappingNode && Tag.MAP.equals(tag)) {
            return "a map";
        }
        if (node instanceof SequenceNode && Tag.SEQ.equals(tag)) {
            return "a list";
        }
        if (Tag.NULL.equals(tag)) {
            return "an empty value (null)";
        }
        if (Tag.BOOL.equals(tag)) {
            return "a bool";
        }
        if (Tag.INT.equals(tag)) {
            return "an int";
        }
        if (Tag.FLOAT.equals(tag)) {
            return "a float";
        }
        if (Tag.STR.equals(tag)) {
            return "a string";
        }
        if (Tag.ENV_TAG.equals(tag)) {
            return "an environment reference ${...} (not supported; quote it for a literal)";
        }
        return "a value tagged " + tag.getValue() + " (custom tags are not supported)";
    }

    /** Quotes short operator text for a message; only for values that are never secret. */
    public static String quote(String text) {
        String shown = text.length() > MAX_QUOTED ? text.substring(0, MAX_QUOTED) + "..." : text;
        return "'" + shown.codePoints()
                .mapToObj(c -> Character.isISOControl(c) ? "?" : Character.toString(c))
                .collect(Collectors.joining()) + "'";
    }

    /**
     * A mapping whose keys must all be in {@code allowed}. Unknown and duplicate keys are recorded
     * as problems and left out; the map is still returned so its known keys are checked too.
     */
    public Optional<YamlMap> map(Node node, String path, List<String> allowed) {
        Optional<YamlMap> map = openMap(node, path);
        map.ifPresent(m -> m.keys().stream().filter(k -> !allowed.contains(k)).forEach(k -> problem(
                m.keyNode(k), child(path, k), "unknown key; allowed keys: " + String.join(", ", allowed))));
        return map.map(m -> m.retain(allowed));
    }

    /** A mapping with any string keys (for example {@code env}); duplicate keys are problems. */
    public Optional<YamlMap> openMap(Node node, String path) {
        if (!(node instanceof MappingNode mapping) || !Tag.MAP.equals(node.getTag())) {
            problem(node, path, "expected a map, got " + describe(node));
            return Optional.empty();
        }
        Map<String, NodeTuple> entries = new LinkedHashMap<>();
        for (NodeTuple t : mapping.getValue()) {
            Node keyNode = t.getKeyNode();
            if (!isString(keyNode)) {
                problem(keyNode, path, "expected keys to be strings, got " + describe(keyNode));
                continue;
            }
            String key = ((ScalarNode) keyNode).getValue();
            NodeTuple first = entries.putIfAbsent(key, t);
            if (first != null) {
                problem(keyNode, child(path, key),
                        "duplicate key (first defined at line " + line(first.getKeyNode()) + ")");
            }
        }
        return Optional.of(new YamlMap(this, node, path, entries));
    }

    /**
     * A section that may be switched off with {@code null}: {@code Optional.of(Optional.empty())} for
     * null, the map (keys checked against {@code allowed}) when it is one, empty when it is neither
     * (the problem is recorded).
     */
    public Optional<Optional<YamlMap>> nullableMap(Node node, String path, List<String> allowed) {
        if (isNull(node)) {
            return Optional.of(Optional.empty());
        }
        return map(node, path, allowed).map(Optional::of);
    }

    public static boolean isNull(Node node) {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    public static boolean isString(Node node) {
        return node instanceof ScalarNode && Tag.STR.equals(node.getTag());
    }

    public Optional<String> string(Node node, String path) {
        if (isString(node)) {
            return Optional.of(((ScalarNode) node).getValue());
        }
        String hint = node instanceof ScalarNode && !isNull(node) ? " (quote it to make it a string)" : "";
        problem(node, path, "expected a string, got " + describe(node) + hint);
        return Optional.empty();
    }

    public Optional<String> nonBlankString(Node node, String path) {
        Optional<String> s = string(node, path);
        if (s.isPresent() && s.get().isBlank()) {
            problem(node, path, "expected a non-empty string");
            return Optional.empty();
        }
        return s;
    }

    public Optional<Boolean> bool(Node node, String path) {
        if (node instanceof ScalarNode s && Tag.BOOL.equals(node.getTag())) {
            return Optional.of(Boolean.parseBoolean(s.getValue()));
        }
        problem(node, path, "expected a bool (true or false), got " + describe(node));
        return Optional.empty();
    }

    public Optional<Integer> integer(Node node, String path) {
        if (node instanceof ScalarNode s && Tag.INT.equals(node.getTag())) {
            try {
                return Optional.of(Integer.parseInt(s.getValue()));
            } catch (NumberFormatException e) {
                problem(node, path, "expected an int, got a number out of the int range");
                return Optional.empty();
            }
        }
        problem(node, path, "expected an int, got " + describe(node));
        return Optional.empty();
    }

    /** An int or a float; must be finite. */
    public Optional<Double> number(Node node, String path) {
        Tag tag = node.getTag();
        if (node instanceof ScalarNode s && (Tag.INT.equals(tag) || Tag.FLOAT.equals(tag))) {
            try {
                double d = Double.parseDouble(s.getValue());
                if (Double.isFinite(d)) {
                    return Optional.of(d);
                }
            } catch (NumberFormatException e) {
                // falls through to the problem below: YAML floats like .inf are not Java numbers
            }
            problem(node, path, "expected a finite number");
            return Optional.empty();
        }
        problem(node, path, "expected a number (int or float), got " + describe(node));
        return Optional.empty();
    }

    /** A list of strings, possibly empty. */
    public Optional<List<String>> stringList(Node node, String path) {
        if (!(node instanceof SequenceNode seq) || !Tag.SEQ.equals(node.getTag())) {
            problem(node, path, "expected a list of strings, got " + describe(node));
            return Optional.empty();
        }
        int mark = mark();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < seq.getValue().size(); i++) {
            string(seq.getValue().get(i), index(path, i)).ifPresent(out::add);
        }
        return cleanSince(mark) ? Optional.of(List.copyOf(out)) : Optional.empty();
    }

    /** A program and its arguments: a non-empty list of strings whose first element is not blank. */
    public Optional<List<String>> command(Node node, String path) {
        if (isString(node)) {
            problem(node, path, "expected a command as a list of strings, like [/usr/bin/prog, --flag], "
                    + "got a string (commands are not split on spaces)");
            return Optional.empty();
        }
        Optional<List<String>> list = stringList(node, path);
        if (list.isPresent() && list.get().isEmpty()) {
            problem(node, path, "expected a non-empty command list, like [/usr/bin/prog, --flag], got []");
            return Optional.empty();
        }
        if (list.isPresent() && list.get().get(0).isBlank()) {
            problem(node, index(path, 0), "expected the program to run, got a blank string");
            return Optional.empty();
        }
        return list;
    }

    /** A duration ({@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}, {@code 0s}), zero allowed. */
    public Optional<Duration> duration(Node node, String path) {
        if (!(node instanceof ScalarNode s) || isNull(node) || Tag.BOOL.equals(node.getTag())) {
            problem(node, path, "expected " + Quantities.DURATION_FORMAT + ", got " + describe(node));
            return Optional.empty();
        }
        Optional<Duration> d = Quantities.duration(s.getValue());
        if (d.isEmpty()) {
            problem(node, path, "expected " + Quantities.DURATION_FORMAT + ", got " + quote(s.getValue())
                    + Quantities.durationHint(s.getValue()));
        }
        return d;
    }

    /** A duration greater than zero. */
    public Optional<Duration> positiveDuration(Node node, String path) {
        Optional<Duration> d = duration(node, path);
        if (d.isPresent() && d.get().isZero()) {
            problem(node, path, "expected a duration greater than 0s");
            return Optional.empty();
        }
        return d;
    }

    /** A size in bytes ({@code 512KiB}, {@code 1MiB}). */
    public Optional<Long> size(Node node, String path) {
        if (!(node instanceof ScalarNode s) || isNull(node) || Tag.BOOL.equals(node.getTag())) {
            problem(node, path, "expected " + Quantities.SIZE_FORMAT + ", got " + describe(node));
            return Optional.empty();
        }
        Optional<Long> bytes = Quantities.bytes(s.getValue());
        if (bytes.isEmpty()) {
            problem(node, path, "expected " + Quantities.SIZE_FORMAT + ", got " + quote(s.getValue())
                    + Quantities.sizeHint(s.getValue()));
        }
        return bytes;
    }

    /** One of an enum's constants, written in lower_snake_case ({@code ON_FAILURE} is {@code on_failure}). */
    public <E extends Enum<E>> Optional<E> choice(Node node, String path, Class<E> type) {
        Optional<String> text = string(node, path);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Optional<E> found = Stream.of(type.getEnumConstants())
                .filter(e -> e.name().toLowerCase(Locale.ROOT).equals(text.get()))
                .findFirst();
        if (found.isEmpty()) {
            String allowed = Stream.of(type.getEnumConstants())
                    .map(e -> e.name().toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining(", "));
            problem(node, path, "expected one of " + allowed + ", got " + quote(text.get()));
        }
        return found;
    }

    /** An absolute file system path. */
    public Optional<Path> absolutePath(Node node, String path) {
        Optional<String> text = nonBlankString(node, path);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            Path p = Path.of(text.get());
            if (p.isAbsolute()) {
                return Optional.of(p);
            }
            problem(node, path, "expected an absolute path (starting with /), got " + quote(text.get()));
        } catch (InvalidPathException e) {
            problem(node, path, "expected a file system path, got text that is not a valid path");
        }
        return Optional.empty();
    }

    /**
     * Calls a record constructor; its {@link IllegalArgumentException} becomes a problem at the
     * mapping {@code at} (the record's own message, which never holds environment values).
     */
    public <T> Optional<T> build(Node at, String path, Supplier<T> constructor) {
        try {
            return Optional.of(constructor.get());
        } catch (IllegalArgumentException e) {
            problem(at, path, String.valueOf(e.getMessage()));
            return Optional.empty();
        }
    }
}
