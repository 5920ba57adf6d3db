package io.waveos.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/** Reads the {@code api} section (docs/config.md, docs/api.md). */
final class ApiConfigReader {
    static final List<String> KEYS = List.of("bind", "port", "tls", "keys", "limits", "flags", "ready_in_safe", "open_metrics",
            "flags_bundle", "keys_bundle");
    static final List<String> FLAGS_BUNDLE_KEYS = List.of("bundle", "bundle_file");
    static final List<String> TLS_KEYS = List.of("key", "cert");
    static final List<String> KEY_KEYS = List.of("id", "secret", "role");
    static final List<String> LIMIT_KEYS = List.of("requests_per_second", "burst", "failures_per_second", "max_body",
            "max_concurrent", "request_timeout", "skew", "nonce_cache", "reply_timeout", "drain");

    private final NodeReader r;

    ApiConfigReader(NodeReader reader) {
        this.r = reader;
    }

    Optional<Optional<ApiConfig>> read(Node node, String path) {
        Optional<Optional<YamlMap>> found = r.nullableMap(node, path, KEYS);
        if (found.isEmpty() || found.get().isEmpty()) {
            return found.map(m -> Optional.empty());
        }
        YamlMap map = found.get().get();
        int mark = r.mark();
        Optional<String> bind = map.optional("bind", "127.0.0.1", r::nonBlankString);
        Optional<Integer> port = map.optional("port", 7480, r::integer);
        Optional<Optional<ApiConfig.Tls>> tls = map.nullable("tls", this::tls);
        Optional<List<ApiConfig.Key>> keys = map.required("keys", "a list of {id, secret, role}", this::keys);
        Optional<ApiConfig.Limits> limits = map.optional("limits", ApiConfig.Limits.defaults(), this::limits);
        Optional<Map<String, String>> flags = map.optional("flags", Map.of(), this::flags);
        Optional<Boolean> readyInSafe = map.optional("ready_in_safe", false, r::bool);
        Optional<Boolean> openMetrics = map.optional("open_metrics", false, r::bool);
        Optional<Optional<ApiConfig.BundleFile>> flagsBundle = map.nullable("flags_bundle",
                (n, p) -> bundleFile(n, p, ApiConfig.BundleFile.DEFAULT_FLAGS_FILE));
        Optional<Optional<ApiConfig.BundleFile>> keysBundle = map.nullable("keys_bundle",
                (n, p) -> bundleFile(n, p, ApiConfig.BundleFile.DEFAULT_KEYS_FILE));
        port.filter(p -> p < 0 || p > 65535).ifPresent(p ->
                r.problem(map.valueNode("port"), map.pathOf("port"), "must be in [0, 65535]"));
        if (!r.cleanSince(mark)) {
            return Optional.empty();
        }
        return r.build(node, path, () -> new ApiConfig(bind.orElseThrow(), port.orElseThrow(), tls.orElseThrow(),
                keys.orElseThrow(), limits.orElseThrow(), flags.orElseThrow(), readyInSafe.orElseThrow(),
                openMetrics.orElseThrow(), flagsBundle.orElseThrow(), keysBundle.orElseThrow()))
                .map(Optional::of);
    }

    private Optional<ApiConfig.BundleFile> bundleFile(Node node, String path, String defaultFile) {
        Optional<YamlMap> found = r.map(node, path, FLAGS_BUNDLE_KEYS);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        int mark = r.mark();
        Optional<String> bundle = found.get().required("bundle", "a bundle component", r::nonBlankString);
        Optional<String> file = found.get().optional("bundle_file", defaultFile,
                r::nonBlankString);
        if (!r.cleanSince(mark)) {
            return Optional.empty();
        }
        return r.build(node, path, () -> new ApiConfig.BundleFile(bundle.orElseThrow(), file.orElseThrow()));
    }

    private Optional<ApiConfig.Tls> tls(Node node, String path) {
        Optional<YamlMap> found = r.map(node, path, TLS_KEYS);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Optional<Path> key = found.get().required("key", "an absolute path to a PEM private key", r::absolutePath);
        Optional<Path> cert = found.get().required("cert", "an absolute path to a PEM certificate", r::absolutePath);
        if (key.isEmpty() || cert.isEmpty()) {
            return Optional.empty();
        }
        return r.build(node, path, () -> new ApiConfig.Tls(key.get(), cert.get()));
    }

    private Optional<List<ApiConfig.Key>> keys(Node node, String path) {
        if (!(node instanceof SequenceNode seq) || !Tag.SEQ.equals(node.getTag())) {
            r.problem(node, path, "expected a list of keys, got " + NodeReader.describe(node));
            return Optional.empty();
        }
        int mark = r.mark();
        List<ApiConfig.Key> out = new ArrayList<>();
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (int i = 0; i < seq.getValue().size(); i++) {
            Node item = seq.getValue().get(i);
            String itemPath = NodeReader.index(path, i);
            key(item, itemPath).ifPresent(k -> {
                if (!ids.add(k.id())) {
                    r.problem(item, itemPath + ".id", "duplicate key id " + NodeReader.quote(k.id()));
                }
                out.add(k);
            });
        }
        return r.cleanSince(mark) ? Optional.of(out) : Optional.empty();
    }

    private Optional<ApiConfig.Key> key(Node node, String path) {
        Optional<YamlMap> found = r.map(node, path, KEY_KEYS);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        YamlMap m = found.get();
        Optional<String> id = m.required("id", "a key id", r::nonBlankString);
        Optional<String> secret = m.required("secret", "a secret of at least " + ApiConfig.Key.MIN_SECRET_LENGTH
                + " characters", r::nonBlankString);
        Optional<ApiRole> role = m.required("role", "viewer, operator or admin", this::role);
        if (id.isEmpty() || secret.isEmpty() || role.isEmpty()) {
            return Optional.empty();
        }
        return r.build(node, path, () -> new ApiConfig.Key(id.get(), secret.get(), role.get()));
    }

    private Optional<ApiRole> role(Node node, String path) {
        Optional<String> s = r.string(node, path);
        if (s.isEmpty()) {
            return Optional.empty();
        }
        for (ApiRole role : ApiRole.values()) {
            if (role.name().toLowerCase(Locale.ROOT).equals(s.get())) {
                return Optional.of(role);
            }
        }
        r.problem(node, path, "expected viewer, operator or admin, got " + NodeReader.quote(s.get()));
        return Optional.empty();
    }

    private Optional<ApiConfig.Limits> limits(Node node, String path) {
        Optional<YamlMap> found = r.map(node, path, LIMIT_KEYS);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        YamlMap m = found.get();
        ApiConfig.Limits d = ApiConfig.Limits.defaults();
        Optional<Double> rps = m.optional("requests_per_second", d.requestsPerSecond(), r::number);
        Optional<Integer> burst = m.optional("burst", d.burst(), r::integer);
        Optional<Double> fps = m.optional("failures_per_second", d.failuresPerSecond(), r::number);
        Optional<Long> body = m.optional("max_body", d.maxBodyBytes(), r::size);
        Optional<Integer> conc = m.optional("max_concurrent", d.maxConcurrent(), r::integer);
        Optional<Duration> reqTimeout = m.optional("request_timeout", d.requestTimeout(), r::positiveDuration);
        Optional<Duration> skew = m.optional("skew", d.skew(), r::positiveDuration);
        Optional<Integer> nonces = m.optional("nonce_cache", d.nonceCache(), r::integer);
        Optional<Duration> reply = m.optional("reply_timeout", d.replyTimeout(), r::positiveDuration);
        Optional<Duration> drain = m.optional("drain", d.drain(), r::duration);
        if (rps.isEmpty() || burst.isEmpty() || fps.isEmpty() || body.isEmpty() || conc.isEmpty()
                || reqTimeout.isEmpty() || skew.isEmpty() || nonces.isEmpty() || reply.isEmpty() || drain.isEmpty()) {
            return Optional.empty();
        }
        return r.build(node, path, () -> new ApiConfig.Limits(rps.get(), burst.get(), fps.get(), body.get(),
                conc.get(), reqTimeout.get(), skew.get(), nonces.get(), reply.get(), drain.get()));
    }

    private Optional<Map<String, String>> flags(Node node, String path) {
        Optional<YamlMap> found = r.openMap(node, path);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        int mark = r.mark();
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : found.get().keys()) {
            Node v = found.get().valueNode(k);
            if (!k.matches("[a-z][a-z0-9_]{0,63}")) {
                r.problem(found.get().keyNode(k), NodeReader.child(path, k), "flag names must match [a-z][a-z0-9_]{0,63}");
            } else if (!(v instanceof ScalarNode s) || NodeReader.isNull(v)) {
                r.problem(v, NodeReader.child(path, k), "expected a string, number or boolean, got "
                        + NodeReader.describe(v));
            } else {
                out.put(k, s.getValue());
            }
        }
        return r.cleanSince(mark) ? Optional.of(out) : Optional.empty();
    }
}
