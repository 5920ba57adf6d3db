package io.waveos.agent.policy;

import io.waveos.agent.config.NodeReader;
import io.waveos.agent.config.YamlMap;
import io.waveos.agent.mode.Mode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads a rule's action; every problem names its line and key path. */
final class ActionReader {
    static final List<String> KINDS = List.of("notify", "breaker", "restart_limit", "priority", "budget",
            "allowed_modes");

    /** The modes a breaker may trip into, as written in the file. */
    enum TripMode { SAFE, DEGRADED }

    private final NodeReader r;

    ActionReader(NodeReader reader) {
        this.r = reader;
    }

    Optional<Action> read(String kind, Node node, String path) {
        return switch (kind) {
            case "notify" -> notify(node, path);
            case "breaker" -> breaker(node, path);
            case "restart_limit" -> restartLimit(node, path);
            case "priority" -> priority(node, path);
            case "budget" -> budget(node, path);
            default -> allowedModes(node, path);
        };
    }

    private Optional<Action> notify(Node node, String path) {
        if (NodeReader.isNull(node)) {
            return Optional.of(new Action.Notify(List.of()));
        }
        Optional<YamlMap> m = r.map(node, path, List.of("services"));
        return m.flatMap(map -> map.optional("services", List.<String>of(), this::services))
                .map(Action.Notify::new);
    }

    private Optional<Action> breaker(Node node, String path) {
        Optional<YamlMap> found = r.map(node, path, List.of("mode", "probe_after", "close_after"));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        YamlMap m = found.get();
        int mark = r.mark();
        Optional<TripMode> mode = m.required("mode", "safe or degraded", (n, p) -> r.choice(n, p, TripMode.class));
        Optional<Duration> probe = m.required("probe_after", "a duration, e.g. 5m", r::positiveDuration);
        Optional<Duration> close = m.required("close_after", "a duration, e.g. 10m", r::positiveDuration);
        if (!r.cleanSince(mark)) {
            return Optional.empty();
        }
        Mode target = mode.orElseThrow() == TripMode.SAFE ? Mode.SAFE : Mode.DEGRADED;
        return r.build(node, path, () -> new Action.Breaker(target, probe.orElseThrow(), close.orElseThrow()));
    }

    private Optional<Action> restartLimit(Node node, String path) {
        Optional<YamlMap> found = r.map(node, path, List.of("service", "max", "per"));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        YamlMap m = found.get();
        int mark = r.mark();
        Optional<String> service = m.required("service", "a service name", this::service);
        Optional<Integer> max = m.required("max", "an int >= 1", r::integer);
        Optional<Duration> per = m.required("per", "a duration, e.g. 1h", r::positiveDuration);
        if (!r.cleanSince(mark)) {
            return Optional.empty();
        }
        return r.build(node, path, () -> new Action.RestartLimit(service.orElseThrow(), max.orElseThrow(),
                per.orElseThrow()));
    }

    private Optional<Action> priority(Node node, String path) {
        Optional<YamlMap> found = r.map(node, path, List.of("service", "nice", "io", "io_level"));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        YamlMap m = found.get();
        int mark = r.mark();
        Optional<String> service = m.required("service", "a service name", this::service);
        Optional<Optional<Integer>> nice = m.nullable("nice", r::integer);
        Optional<Optional<Action.IoClass>> io = m.nullable("io", (n, p) -> r.choice(n, p, Action.IoClass.class));
        Optional<Integer> level = m.optional("io_level", 4, r::integer);
        if (!r.cleanSince(mark)) {
            return Optional.empty();
        }
        return r.build(node, path, () -> new Action.PriorityCap(service.orElseThrow(), nice.orElseThrow(),
                io.orElseThrow(), level.orElseThrow()));
    }

    private Optional<Action> budget(Node node, String path) {
        Optional<YamlMap> found = r.map(node, path, List.of("service", "memory", "cpu", "warn_after",
                "throttle_after", "restart_after"));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        YamlMap m = found.get();
        int mark = r.mark();
        Optional<String> service = m.required("service", "a service name", this::service);
        Optional<Optional<Long>> memory = m.nullable("memory", r::size);
        Optional<Optional<Integer>> cpu = m.nullable("cpu", r::integer);
        Optional<Duration> warn = m.optional("warn_after", Duration.ofSeconds(10), r::duration);
        Optional<Duration> throttle = m.optional("throttle_after", Duration.ofSeconds(30), r::duration);
        Optional<Duration> restart = m.optional("restart_after", Duration.ofMinutes(2), r::duration);
        if (!r.cleanSince(mark)) {
            return Optional.empty();
        }
        return r.build(node, path, () -> new Action.Budget(service.orElseThrow(), memory.orElseThrow(),
                cpu.orElseThrow(), warn.orElseThrow(), throttle.orElseThrow(), restart.orElseThrow()));
    }

    private Optional<Action> allowedModes(Node node, String path) {
        Optional<YamlMap> found = r.map(node, path, List.of("degraded", "safe"));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        YamlMap m = found.get();
        int mark = r.mark();
        Optional<Optional<List<String>>> degraded = m.nullable("degraded", this::services);
        Optional<List<String>> safe = m.optional("safe", List.of(), this::services);
        if (!r.cleanSince(mark)) {
            return Optional.empty();
        }
        return r.build(node, path, () -> new Action.AllowedModes(degraded.orElseThrow(), safe.orElseThrow()));
    }

    private Optional<String> service(Node node, String path) {
        return PolicyLoader.serviceName(r, node, path);
    }

    private Optional<List<String>> services(Node node, String path) {
        Optional<List<String>> names = r.stringList(node, path);
        names.ifPresent(l -> {
            for (int i = 0; i < l.size(); i++) {
                if (!io.waveos.agent.config.ServiceConfig.NAME.matcher(l.get(i)).matches()) {
                    r.problem(node, NodeReader.index(path, i), "expected a service name, got " + NodeReader.quote(l.get(i)));
                }
            }
        });
        return names;
    }
}
