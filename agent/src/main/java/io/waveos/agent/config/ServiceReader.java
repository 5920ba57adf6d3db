package io.waveos.agent.config;

import io.waveos.agent.platform.Signal;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads one entry of {@code services} into a {@link ServiceConfig}, keeping the name and
 * dependency positions so that {@link CrossServiceCheck} can check names across services.
 *
 * <p>Never echoes a value found under {@code env}: neither in problems nor anywhere else.
 */
final class ServiceReader {

    /** A {@code depends_on} entry where it was written. */
    record Dependency(String name, String path, int line) {
        Dependency {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(path, "path");
        }
    }

    /**
     * One {@code services} entry as read: its name and dependencies as far as they could be read,
     * and the record when the whole entry was valid.
     */
    record Entry(String path, Optional<String> name, int nameLine, List<Dependency> dependencies,
            Optional<ServiceConfig> config) {
        Entry {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(name, "name");
            dependencies = List.copyOf(dependencies);
            Objects.requireNonNull(config, "config");
        }
    }

    static final List<String> KEYS = List.of("name", "command", "env", "workdir", "user", "group",
            "essential", "allowed_in_safe_mode", "depends_on", "ready", "stop", "restart");
    private static final List<String> READY_KEYS = List.of("started", "exec", "tcp", "http", "timeout", "interval");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final NodeReader r;

    ServiceReader(NodeReader reader) {
        this.r = reader;
    }

    Entry read(Node node, String path) {
        int mark = r.mark();
        Optional<YamlMap> map = r.map(node, path, KEYS);
        if (map.isEmpty()) {
            return new Entry(path, Optional.empty(), NodeReader.line(node), List.of(), Optional.empty());
        }
        YamlMap s = map.get();
        Optional<String> name = s.required("name", "a service name", this::name);
        int nameLine = NodeReader.line(s.has("name") ? s.valueNode("name") : node);
        Optional<List<String>> command = s.required("command", "a non-empty list of strings", r::command);
        Optional<Map<String, EnvValue>> env = s.optional("env", Map.of(), this::environment);
        Optional<Optional<Path>> workdir = s.nullable("workdir", r::absolutePath);
        Optional<Optional<String>> user = s.nullable("user", r::nonBlankString);
        Optional<Optional<String>> group = s.nullable("group", r::nonBlankString);
        Optional<Boolean> essential = s.optional("essential", false, r::bool);
        Optional<Boolean> inSafeMode = s.optional("allowed_in_safe_mode", false, r::bool);
        List<Dependency> deps = dependencies(s, name);
        Optional<ReadinessConfig> ready = s.optional("ready", ReadinessConfig.started(), this::readiness);
        Optional<StopConfig> stop = s.optional("stop", StopConfig.defaults(), this::stop);
        Optional<RestartConfig> restart = s.optional("restart", RestartConfig.defaults(), this::restart);
        Optional<ServiceConfig> config = Optional.empty();
        if (r.cleanSince(mark)) {
            List<String> depNames = deps.stream().map(Dependency::name).toList();
            config = r.build(node, path, () -> new ServiceConfig(name.orElseThrow(), command.orElseThrow(),
                    env.orElseThrow(), workdir.orElseThrow(), user.orElseThrow(), group.orElseThrow(),
                    essential.orElseThrow(), inSafeMode.orElseThrow(), depNames, ready.orElseThrow(),
                    stop.orElseThrow(), restart.orElseThrow()));
        }
        return new Entry(path, name, nameLine, deps, config);
    }

    private Optional<String> name(Node node, String path) {
        Optional<String> name = r.string(node, path);
        if (name.isPresent() && !ServiceConfig.NAME.matcher(name.get()).matches()) {
            r.problem(node, path, "expected a service name matching " + ServiceConfig.NAME
                    + " (lower case, digits, '_', '.', '-'), got " + NodeReader.quote(name.get()));
            return Optional.empty();
        }
        return name;
    }

    /** Reads {@code depends_on}; a service naming itself, or a name listed twice, is a problem here. */
    private List<Dependency> dependencies(YamlMap s, Optional<String> self) {
        if (!s.has("depends_on")) {
            return List.of();
        }
        Node node = s.valueNode("depends_on");
        String path = s.pathOf("depends_on");
        if (!(node instanceof SequenceNode seq)) {
            r.problem(node, path, "expected a list of service names, got " + NodeReader.describe(node));
            return List.of();
        }
        List<Dependency> deps = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < seq.getValue().size(); i++) {
            Node item = seq.getValue().get(i);
            String itemPath = NodeReader.index(path, i);
            Optional<String> dep = r.string(item, itemPath);
            if (dep.isEmpty()) {
                continue;
            }
            if (self.isPresent() && self.get().equals(dep.get())) {
                r.problem(item, itemPath, "dependency cycle: " + dep.get() + " -> " + dep.get()
                        + " (a service cannot depend on itself)");
            } else if (!seen.add(dep.get())) {
                r.problem(item, itemPath, "expected each dependency once, got " + NodeReader.quote(dep.get())
                        + " again");
            } else {
                deps.add(new Dependency(dep.get(), itemPath, NodeReader.line(item)));
            }
        }
        return deps;
    }

    /**
     * {@code NAME: "text"} or {@code NAME: {value: "text", secret: true}}. Problems name the key
     * path and the expected shape, never the value; invalid names are not echoed either.
     */
    private Optional<Map<String, EnvValue>> environment(Node node, String path) {
        Optional<YamlMap> map = r.openMap(node, path);
        if (map.isEmpty()) {
            return Optional.empty();
        }
        int mark = r.mark();
        Map<String, EnvValue> env = new LinkedHashMap<>();
        for (String key : map.get().keys()) {
            if (!ENV_NAME.matcher(key).matches()) {
                r.problem(map.get().keyNode(key), path,
                        "expected environment variable names matching " + ENV_NAME + " (the offending name is not shown)");
                continue;
            }
            envValue(map.get().valueNode(key), map.get().pathOf(key)).ifPresent(v -> env.put(key, v));
        }
        return r.cleanSince(mark) ? Optional.of(env) : Optional.empty();
    }

    private Optional<EnvValue> envValue(Node node, String path) {
        if (NodeReader.isString(node)) {
            return r.string(node, path).map(v -> new EnvValue(v, false));
        }
        if (!(node instanceof MappingNode)) {
            String hint = node instanceof ScalarNode && !NodeReader.isNull(node) ? " (quote it to make it a string)" : "";
            r.problem(node, path, "expected a string or {value: \"...\", secret: true}, got "
                    + NodeReader.describe(node) + hint);
            return Optional.empty();
        }
        Optional<YamlMap> map = r.map(node, path, List.of("value", "secret"));
        if (map.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> value = map.get().required("value", "a string", r::string);
        Optional<Boolean> secret = map.get().optional("secret", false, r::bool);
        if (value.isPresent() && secret.orElse(false)
                && value.get().length() < EnvValue.MIN_SECRET_LENGTH) {
            // Redaction searches for the value in everything the agent writes; a value this short
            // would mask unrelated text and still be guessable.
            r.problem(map.get().valueNode("value"), map.get().pathOf("value"), "expected a secret of at least "
                    + EnvValue.MIN_SECRET_LENGTH + " characters (the value is not shown)");
            return Optional.empty();
        }
        return value.isPresent() && secret.isPresent()
                ? Optional.of(new EnvValue(value.get(), secret.get()))
                : Optional.empty();
    }

    /** Exactly one of {@code started}, {@code exec}, {@code tcp}, {@code http}, plus timings. */
    private Optional<ReadinessConfig> readiness(Node node, String path) {
        Optional<YamlMap> map = r.map(node, path, READY_KEYS);
        if (map.isEmpty()) {
            return Optional.empty();
        }
        YamlMap y = map.get();
        ReadinessConfig d = ReadinessConfig.started();
        Optional<Duration> timeout = y.optional("timeout", d.timeout(), r::positiveDuration);
        Optional<Duration> interval = y.optional("interval", d.interval(), r::positiveDuration);
        List<ReadinessConfig.Kind> kinds = new ArrayList<>();
        for (ReadinessConfig.Kind k : ReadinessConfig.Kind.values()) {
            if (y.has(kindKey(k))) {
                kinds.add(k);
            }
        }
        if (kinds.size() != 1) {
            r.problem(node, path, "expected exactly one of started, exec, tcp, http; got "
                    + (kinds.isEmpty() ? "none" : String.join(", ", kinds.stream().map(ServiceReader::kindKey).toList())));
            return Optional.empty();
        }
        ReadinessConfig.Kind kind = kinds.get(0);
        Node value = y.valueNode(kindKey(kind));
        String valuePath = y.pathOf(kindKey(kind));
        int mark = r.mark();
        Optional<List<String>> exec = kind == ReadinessConfig.Kind.EXEC ? r.command(value, valuePath) : Optional.of(List.of());
        Optional<TcpTarget> tcp = kind == ReadinessConfig.Kind.TCP ? tcpTarget(value, valuePath) : Optional.of(TcpTarget.NONE);
        Optional<Optional<URI>> http = kind == ReadinessConfig.Kind.HTTP ? httpUrl(value, valuePath).map(Optional::of)
                : Optional.of(Optional.empty());
        if (kind == ReadinessConfig.Kind.STARTED) {
            startedTrue(value, valuePath);
        }
        if (!r.cleanSince(mark) || timeout.isEmpty() || interval.isEmpty()) {
            return Optional.empty();
        }
        return r.build(node, path, () -> new ReadinessConfig(kind, exec.orElseThrow(), tcp.orElseThrow().host(),
                tcp.orElseThrow().port(), http.orElseThrow().orElse(null), timeout.orElseThrow(),
                interval.orElseThrow()));
    }

    private static String kindKey(ReadinessConfig.Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    private void startedTrue(Node node, String path) {
        Optional<Boolean> started = r.bool(node, path);
        if (started.isPresent() && !started.get()) {
            r.problem(node, path, "expected true (to wait for something, use exec, tcp or http instead)");
        }
    }

    /** A TCP readiness target; {@code host} is null only for {@link #NONE}, as the record expects. */
    private record TcpTarget(String host, int port) {
        static final TcpTarget NONE = new TcpTarget(null, 0);
    }

    /** {@code host:port}, IPv6 hosts in brackets ({@code [::1]:5020}). */
    private Optional<TcpTarget> tcpTarget(Node node, String path) {
        Optional<String> text = r.string(node, path);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        String t = text.get();
        int colon = t.lastIndexOf(':');
        String host = colon > 0 ? t.substring(0, colon) : "";
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String port = colon > 0 ? t.substring(colon + 1) : "";
        boolean portOk = port.matches("[0-9]{1,5}") && Integer.parseInt(port) >= 1 && Integer.parseInt(port) <= 65535;
        if (host.isBlank() || host.contains(":") && !t.startsWith("[") || !portOk) {
            r.problem(node, path, "expected host:port with a port in 1..65535 (e.g. 127.0.0.1:5020, [::1]:5020), got "
                    + NodeReader.quote(t));
            return Optional.empty();
        }
        return Optional.of(new TcpTarget(host, Integer.parseInt(port)));
    }

    /** An absolute {@code http://} or {@code https://} URL with a host. */
    private Optional<URI> httpUrl(Node node, String path) {
        Optional<String> text = r.string(node, path);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(text.get());
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return Optional.of(uri);
            }
        } catch (URISyntaxException e) {
            // reported below with the same message as a URL of the wrong kind
        }
        r.problem(node, path, "expected an http:// or https:// URL with a host (e.g. http://127.0.0.1:8080/health), got "
                + NodeReader.quote(text.get()));
        return Optional.empty();
    }

    private Optional<StopConfig> stop(Node node, String path) {
        Optional<YamlMap> map = r.map(node, path, List.of("signal", "timeout"));
        if (map.isEmpty()) {
            return Optional.empty();
        }
        StopConfig d = StopConfig.defaults();
        Optional<Signal> signal = map.get().optional("signal", d.signal(), this::signal);
        Optional<Duration> timeout = map.get().optional("timeout", d.timeout(), r::duration);
        if (signal.isEmpty() || timeout.isEmpty()) {
            return Optional.empty();
        }
        return r.build(node, path, () -> new StopConfig(signal.orElseThrow(), timeout.orElseThrow()));
    }

    private Optional<Signal> signal(Node node, String path) {
        Optional<String> name = r.string(node, path);
        Optional<Signal> signal = name.flatMap(Signal::ofName);
        if (name.isPresent() && signal.isEmpty()) {
            r.problem(node, path, "expected a signal name such as TERM, INT, HUP, QUIT, USR1 (SIG prefix optional), got "
                    + NodeReader.quote(name.get()));
        }
        return signal;
    }

    private Optional<RestartConfig> restart(Node node, String path) {
        Optional<YamlMap> map = r.map(node, path, List.of("policy", "backoff", "intensity"));
        if (map.isEmpty()) {
            return Optional.empty();
        }
        RestartConfig d = RestartConfig.defaults();
        Optional<RestartConfig.Policy> policy = map.get().optional("policy", d.policy(),
                (n, p) -> r.choice(n, p, RestartConfig.Policy.class));
        Optional<RestartConfig.Backoff> backoff = map.get().optional("backoff", d.backoff(), this::backoff);
        Optional<RestartConfig.Intensity> intensity = map.get().optional("intensity", d.intensity(), this::intensity);
        if (policy.isEmpty() || backoff.isEmpty() || intensity.isEmpty()) {
            return Optional.empty();
        }
        return r.build(node, path, () -> new RestartConfig(policy.orElseThrow(), backoff.orElseThrow(),
                intensity.orElseThrow()));
    }

    private Optional<RestartConfig.Backoff> backoff(Node node, String path) {
        Optional<YamlMap> map = r.map(node, path, List.of("initial", "max", "factor", "jitter", "reset_after"));
        if (map.isEmpty()) {
            return Optional.empty();
        }
        YamlMap b = map.get();
        RestartConfig.Backoff d = RestartConfig.Backoff.defaults();
        int mark = r.mark();
        Optional<Duration> initial = b.optional("initial", d.initial(), r::duration);
        Optional<Duration> max = b.optional("max", d.max(), r::duration);
        Optional<Double> factor = b.optional("factor", d.factor(), r::number);
        Optional<Double> jitter = b.optional("jitter", d.jitter(), r::number);
        Optional<Duration> resetAfter = b.optional("reset_after", d.resetAfter(), r::duration);
        if (!r.cleanSince(mark)) {
            return Optional.empty();
        }
        return r.build(node, path, () -> new RestartConfig.Backoff(initial.orElseThrow(), max.orElseThrow(),
                factor.orElseThrow(), jitter.orElseThrow(), resetAfter.orElseThrow()));
    }

    private Optional<RestartConfig.Intensity> intensity(Node node, String path) {
        Optional<YamlMap> map = r.map(node, path, List.of("max", "within"));
        if (map.isEmpty()) {
            return Optional.empty();
        }
        RestartConfig.Intensity d = RestartConfig.Intensity.defaults();
        Optional<Integer> max = map.get().optional("max", d.max(), r::integer);
        Optional<Duration> within = map.get().optional("within", d.within(), r::positiveDuration);
        if (max.isEmpty() || within.isEmpty()) {
            return Optional.empty();
        }
        return r.build(node, path, () -> new RestartConfig.Intensity(max.orElseThrow(), within.orElseThrow()));
    }
}
