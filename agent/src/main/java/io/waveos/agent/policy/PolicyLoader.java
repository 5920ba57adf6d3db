package io.waveos.agent.policy;

import io.waveos.agent.config.ConfigException;
import io.waveos.agent.config.ConfigException.ConfigProblem;
import io.waveos.agent.config.NodeReader;
import io.waveos.agent.config.ServiceConfig;
import io.waveos.agent.config.YamlMap;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * The strict policy loader: YAML text in, a validated {@link Policy} out, or a
 * {@link ConfigException} listing every problem as {@code file:line: key.path: message} (the
 * language is in {@code docs/policy.md}). Pure and thread-safe.
 */
public final class PolicyLoader {
    static final List<String> TOP_KEYS = List.of("policy_version", "rules");
    static final List<String> RULE_KEYS = List.of("id", "shadow", "when", "limit");

    /**
     * @param source how problems and events name the file
     * @throws ConfigException with every problem found, one per line of its message
     */
    public Policy parse(String source, byte[] bytes) throws ConfigException {
        String text = new String(bytes, StandardCharsets.UTF_8);
        Node root = NodeReader.compose(source, text, "the policy is empty; expected policy_version and rules");
        NodeReader r = new NodeReader(source);
        Optional<Policy> policy = read(r, root, source, sha256(bytes));
        List<ConfigProblem> problems = r.problems();
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return policy.orElseThrow();
    }

    private Optional<Policy> read(NodeReader r, Node root, String source, String sha) {
        if (!(root instanceof MappingNode) || !Tag.MAP.equals(root.getTag())) {
            r.problem(root, "", "expected a map with policy_version and rules, got " + NodeReader.describe(root));
            return Optional.empty();
        }
        YamlMap top = r.map(root, "", TOP_KEYS).orElseThrow();
        Optional<Integer> version = top.required("policy_version", "a positive int, raised with each change",
                (n, p) -> r.integer(n, p).filter(v -> {
                    if (v < 1) {
                        r.problem(n, p, "expected a positive int, got " + v);
                    }
                    return v >= 1;
                }));
        Optional<List<Rule>> rules = top.required("rules", "a list of rules", (n, p) -> rules(r, n, p));
        if (!r.cleanSince(0)) {
            return Optional.empty();
        }
        return r.build(root, "", () -> new Policy(version.orElseThrow(), source, sha, rules.orElseThrow()));
    }

    private Optional<List<Rule>> rules(NodeReader r, Node node, String path) {
        if (!(node instanceof SequenceNode seq) || !Tag.SEQ.equals(node.getTag())) {
            r.problem(node, path, "expected a list of rules, got " + NodeReader.describe(node));
            return Optional.empty();
        }
        int mark = r.mark();
        List<Rule> out = new ArrayList<>();
        Map<String, Integer> ids = new HashMap<>();
        int allowedModes = 0;
        for (int i = 0; i < seq.getValue().size(); i++) {
            Node n = seq.getValue().get(i);
            Optional<Rule> rule = rule(r, n, NodeReader.index(path, i));
            if (rule.isEmpty()) {
                continue;
            }
            Integer first = ids.putIfAbsent(rule.get().id(), rule.get().line());
            if (first != null) {
                r.problem(n, NodeReader.index(path, i) + ".id", "duplicate rule id (first at line " + first + ")");
            }
            if (rule.get().action() instanceof Action.AllowedModes && ++allowedModes > 1) {
                r.problem(n, NodeReader.index(path, i), "at most one allowed_modes rule per policy");
            }
            out.add(rule.get());
        }
        return r.cleanSince(mark) ? Optional.of(out) : Optional.empty();
    }

    private Optional<Rule> rule(NodeReader r, Node node, String path) {
        List<String> allowed = new ArrayList<>(RULE_KEYS);
        allowed.addAll(ActionReader.KINDS);
        Optional<YamlMap> found = r.map(node, path, allowed);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        YamlMap m = found.get();
        int mark = r.mark();
        Optional<String> id = m.required("id", "a rule id like modem-restarts", (n, p) -> r.nonBlankString(n, p)
                .filter(s -> {
                    if (!Rule.ID.matcher(s).matches()) {
                        r.problem(n, p, "expected lower-case letters, digits, '-' or '_' (at most 63), got "
                                + NodeReader.quote(s));
                    }
                    return Rule.ID.matcher(s).matches();
                }));
        Optional<Boolean> shadow = m.optional("shadow", false, r::bool);
        Optional<Optional<Condition>> when = m.nullable("when", new ConditionReader(r)::read);
        Optional<Optional<Rule.FireLimit>> limit = m.nullable("limit", (n, p) -> limit(r, n, p));
        List<String> kinds = m.keys().stream().filter(ActionReader.KINDS::contains).toList();
        if (kinds.size() != 1) {
            r.problem(node, path, "expected exactly one action (" + String.join(", ", ActionReader.KINDS) + "), got "
                    + (kinds.isEmpty() ? "none" : String.join(", ", kinds)));
            return Optional.empty();
        }
        String kind = kinds.get(0);
        Optional<Action> action = new ActionReader(r).read(kind, m.valueNode(kind), m.pathOf(kind));
        if (!r.cleanSince(mark)) {
            return Optional.empty();
        }
        return r.build(node, path, () -> new Rule(id.orElseThrow(), shadow.orElseThrow(), when.orElseThrow(),
                action.orElseThrow(), limit.orElseThrow(), NodeReader.line(node)));
    }

    private Optional<Rule.FireLimit> limit(NodeReader r, Node node, String path) {
        Optional<YamlMap> found = r.map(node, path, List.of("max", "per"));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        int mark = r.mark();
        Optional<Integer> max = found.get().required("max", "an int >= 1", r::integer);
        Optional<java.time.Duration> per = found.get().required("per", "a duration, e.g. 1h", r::positiveDuration);
        if (!r.cleanSince(mark)) {
            return Optional.empty();
        }
        return r.build(node, path, () -> new Rule.FireLimit(max.orElseThrow(), per.orElseThrow()));
    }

    /** Checks a service name as the config does; a problem when it cannot name a service. */
    static Optional<String> serviceName(NodeReader r, Node node, String path) {
        Optional<String> s = r.nonBlankString(node, path);
        if (s.isPresent() && !ServiceConfig.NAME.matcher(s.get()).matches()) {
            r.problem(node, path, "expected a service name matching " + ServiceConfig.NAME.pattern() + ", got "
                    + NodeReader.quote(s.get()));
            return Optional.empty();
        }
        return s;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
