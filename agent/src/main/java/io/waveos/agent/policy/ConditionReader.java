package io.waveos.agent.policy;

import io.waveos.agent.config.NodeReader;
import io.waveos.agent.config.YamlMap;
import io.waveos.agent.telemetry.EventCode;
import io.waveos.agent.telemetry.MetricKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/** Reads a {@code when} condition; every problem names its line and key path. */
final class ConditionReader {
    static final List<String> KINDS = List.of("threshold", "rate", "count", "all", "any", "not");
    /** Nesting deeper than this is refused (bounds evaluation and recursion). */
    static final int MAX_DEPTH = 8;

    private final NodeReader r;

    ConditionReader(NodeReader reader) {
        this.r = reader;
    }

    Optional<Condition> read(Node node, String path) {
        return read(node, path, 0);
    }

    private Optional<Condition> read(Node node, String path, int depth) {
        if (depth > MAX_DEPTH) {
            r.problem(node, path, "conditions nest at most " + MAX_DEPTH + " deep");
            return Optional.empty();
        }
        Optional<YamlMap> found = r.map(node, path, KINDS);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        YamlMap m = found.get();
        if (m.keys().size() != 1) {
            r.problem(node, path, "expected exactly one of " + String.join(", ", KINDS) + ", got "
                    + (m.keys().isEmpty() ? "none" : String.join(", ", m.keys())));
            return Optional.empty();
        }
        String kind = m.keys().get(0);
        Node v = m.valueNode(kind);
        String p = m.pathOf(kind);
        return switch (kind) {
            case "threshold" -> threshold(v, p);
            case "rate" -> rate(v, p);
            case "count" -> count(v, p);
            case "all" -> list(v, p, depth).flatMap(l -> r.build(v, p, () -> new Condition.All(l)));
            case "any" -> list(v, p, depth).flatMap(l -> r.build(v, p, () -> new Condition.Any(l)));
            default -> read(v, p, depth + 1).map(Condition.Not::new);
        };
    }

    private Optional<List<Condition>> list(Node node, String path, int depth) {
        if (!(node instanceof SequenceNode seq) || !Tag.SEQ.equals(node.getTag())) {
            r.problem(node, path, "expected a list of conditions, got " + NodeReader.describe(node));
            return Optional.empty();
        }
        int mark = r.mark();
        List<Condition> out = new ArrayList<>();
        for (int i = 0; i < seq.getValue().size(); i++) {
            read(seq.getValue().get(i), NodeReader.index(path, i), depth + 1).ifPresent(out::add);
        }
        return r.cleanSince(mark) ? Optional.of(out) : Optional.empty();
    }

    private Optional<Condition> threshold(Node node, String path) {
        Optional<YamlMap> found = r.map(node, path, List.of("metric", "above", "below", "clear", "for"));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        YamlMap m = found.get();
        int mark = r.mark();
        Optional<MetricKey> metric = m.required("metric", "scope:subject:name, e.g. service:web:rss_bytes", this::metric);
        Optional<Side> side = side(m);
        Optional<Optional<Double>> clear = m.nullable("clear", this::level);
        Optional<Duration> holdFor = m.optional("for", Duration.ZERO, r::duration);
        if (!r.cleanSince(mark)) {
            return Optional.empty();
        }
        return r.build(node, path, () -> new Condition.Threshold(metric.orElseThrow(), side.orElseThrow().side,
                side.orElseThrow().level, clear.orElseThrow(), holdFor.orElseThrow()));
    }

    private Optional<Condition> rate(Node node, String path) {
        Optional<YamlMap> found = r.map(node, path, List.of("metric", "above", "below", "window", "per"));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        YamlMap m = found.get();
        int mark = r.mark();
        Optional<MetricKey> metric = m.required("metric", "a counter, e.g. service:modem:restarts_total", this::metric);
        Optional<Side> side = side(m);
        Optional<Duration> window = m.required("window", "a duration, e.g. 10m", r::positiveDuration);
        Optional<Duration> per = m.optional("per", Duration.ofSeconds(1), r::positiveDuration);
        if (!r.cleanSince(mark)) {
            return Optional.empty();
        }
        return r.build(node, path, () -> new Condition.Rate(metric.orElseThrow(), window.orElseThrow(),
                per.orElseThrow(), side.orElseThrow().side, side.orElseThrow().level));
    }

    private Optional<Condition> count(Node node, String path) {
        Optional<YamlMap> found = r.map(node, path, List.of("event", "subject", "within", "at_least"));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        YamlMap m = found.get();
        int mark = r.mark();
        Optional<String> code = m.required("event", "an event code, e.g. service.exited", this::eventCode);
        Optional<Optional<String>> subject = m.nullable("subject", r::nonBlankString);
        Optional<Duration> within = m.required("within", "a duration, e.g. 10m", r::positiveDuration);
        Optional<Integer> atLeast = m.optional("at_least", 1, r::integer);
        if (!r.cleanSince(mark)) {
            return Optional.empty();
        }
        return r.build(node, path, () -> new Condition.Count(code.orElseThrow(), subject.orElseThrow(),
                within.orElseThrow(), atLeast.orElseThrow()));
    }

    private record Side(Condition.Side side, double level) {
    }

    private Optional<Side> side(YamlMap m) {
        boolean above = m.has("above");
        if (above == m.has("below")) {
            r.problem(m.node(), m.path(), "expected exactly one of above or below");
            return Optional.empty();
        }
        String key = above ? "above" : "below";
        return level(m.valueNode(key), m.pathOf(key))
                .map(l -> new Side(above ? Condition.Side.ABOVE : Condition.Side.BELOW, l));
    }

    /** A number, or a size such as {@code 200MiB} (in bytes). */
    Optional<Double> level(Node node, String path) {
        if (NodeReader.isString(node)) {
            return r.size(node, path).map(Long::doubleValue);
        }
        return r.number(node, path);
    }

    Optional<MetricKey> metric(Node node, String path) {
        Optional<String> text = r.nonBlankString(node, path);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(MetricKey.parse(text.get()));
        } catch (IllegalArgumentException e) {
            r.problem(node, path, String.valueOf(e.getMessage()));
            return Optional.empty();
        }
    }

    private Optional<String> eventCode(Node node, String path) {
        Optional<String> text = r.nonBlankString(node, path);
        if (text.isPresent() && Arrays.stream(EventCode.values()).noneMatch(c -> c.wire().equals(text.get()))) {
            r.problem(node, path, "unknown event code " + NodeReader.quote(((ScalarNode) node).getValue())
                    + "; the codes are those of events.jsonl, e.g. service.exited, service.restart_scheduled, "
                    + "mode.changed; all: " + Arrays.stream(EventCode.values()).map(EventCode::wire)
                    .collect(Collectors.joining(", ")));
            return Optional.empty();
        }
        return text;
    }
}
