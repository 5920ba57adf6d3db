package io.waveos.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads the {@code companion} section. */
final class CompanionReader {
    static final List<String> KEYS = List.of("serial", "tcp", "key_file", "tag_bytes", "heartbeat", "misses",
            "health_every", "request_timeout", "when_unavailable", "safe_mode_line");

    private final NodeReader r;

    CompanionReader(NodeReader reader) {
        this.r = reader;
    }

    Optional<Optional<CompanionConfig>> read(Node node, String path) {
        Optional<Optional<YamlMap>> section = r.nullableMap(node, path, KEYS);
        if (section.isEmpty() || section.get().isEmpty()) {
            return section.map(absent -> Optional.empty());
        }
        YamlMap map = section.get().get();
        int mark = r.mark();
        if (map.has("serial") == map.has("tcp")) {
            r.problem(node, path, "expected exactly one transport: serial: {device: /dev/ttyS1, baud: 115200} "
                    + "or tcp: \"host:port\"");
        }
        Optional<Optional<Path>> device = Optional.of(Optional.empty());
        Optional<Integer> baud = Optional.of(115_200);
        if (map.has("serial")) {
            Optional<YamlMap> serial = r.map(map.valueNode("serial"), map.pathOf("serial"), List.of("device", "baud"));
            device = serial.flatMap(s -> s.required("device", "an absolute device path", r::absolutePath))
                    .map(Optional::of);
            baud = serial.flatMap(s -> s.optional("baud", 115_200, r::integer));
        }
        Optional<String[]> tcp = Optional.of(new String[0]);
        if (map.has("tcp")) {
            tcp = map.required("tcp", "\"host:port\"", this::hostPort);
        }
        Optional<Optional<Path>> keyFile = map.nullable("key_file", r::absolutePath);
        Optional<Integer> tagBytes = map.optional("tag_bytes", 16, r::integer);
        Optional<Duration> heartbeat = map.optional("heartbeat", Duration.ofSeconds(1), r::positiveDuration);
        Optional<Integer> misses = map.optional("misses", 3, r::integer);
        Optional<Duration> healthEvery = map.optional("health_every", Duration.ofSeconds(5), r::positiveDuration);
        Optional<Duration> requestTimeout = map.optional("request_timeout", Duration.ofSeconds(5),
                r::positiveDuration);
        Optional<Map<CompanionConfig.Approval, CompanionConfig.Unavailable>> unavailable = map.optional(
                "when_unavailable", Map.of(), this::whenUnavailable);
        Optional<Optional<SafeModeLineConfig>> safeModeLine = map.nullable("safe_mode_line", this::safeModeLine);
        if (!r.cleanSince(mark)) {
            return Optional.empty();
        }
        Optional<String[]> hp = tcp;
        Optional<Optional<Path>> dev = device;
        Optional<Integer> b = baud;
        return r.build(node, path, () -> new CompanionConfig(dev.orElseThrow(), b.orElseThrow(),
                hp.orElseThrow().length == 0 ? Optional.empty() : Optional.of(hp.orElseThrow()[0]),
                hp.orElseThrow().length == 0 ? 0 : Integer.parseInt(hp.orElseThrow()[1]), keyFile.orElseThrow(),
                tagBytes.orElseThrow(), heartbeat.orElseThrow(), misses.orElseThrow(), healthEvery.orElseThrow(),
                requestTimeout.orElseThrow(), unavailable.orElseThrow(), safeModeLine.orElseThrow()))
                .map(Optional::of);
    }

    /** {@code {provider: mock|linuxfs|gpiod, pin: N, active_low: true}}; provider and pin required. */
    private Optional<SafeModeLineConfig> safeModeLine(Node node, String path) {
        Optional<YamlMap> found = r.map(node, path, List.of("provider", "pin", "active_low"));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        YamlMap map = found.get();
        int mark = r.mark();
        Optional<SafeModeLineConfig.Provider> provider = map.required("provider", "mock, linuxfs or gpiod",
                (n, p) -> r.choice(n, p, SafeModeLineConfig.Provider.class));
        Optional<Integer> pin = map.required("pin", "a BCM pin number 0..63", this::pin);
        Optional<Boolean> activeLow = map.optional("active_low", true, r::bool);
        if (!r.cleanSince(mark)) {
            return Optional.empty();
        }
        return r.build(node, path, () -> new SafeModeLineConfig(provider.orElseThrow(), pin.orElseThrow(),
                activeLow.orElseThrow()));
    }

    private Optional<Integer> pin(Node node, String path) {
        Optional<Integer> pin = r.integer(node, path);
        if (pin.isPresent() && (pin.get() < 0 || pin.get() > 63)) {
            r.problem(node, path, "expected a BCM pin number 0..63, got " + pin.get());
            return Optional.empty();
        }
        return pin;
    }

    private Optional<String[]> hostPort(Node node, String path) {
        Optional<String> text = r.nonBlankString(node, path);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        int colon = text.get().lastIndexOf(':');
        if (colon <= 0 || !text.get().substring(colon + 1).matches("[0-9]{1,5}")) {
            r.problem(node, path, "expected \"host:port\", got " + NodeReader.quote(text.get()));
            return Optional.empty();
        }
        return Optional.of(new String[] {text.get().substring(0, colon), text.get().substring(colon + 1)});
    }

    private Optional<Map<CompanionConfig.Approval, CompanionConfig.Unavailable>> whenUnavailable(Node node,
            String path) {
        List<String> kinds = java.util.Arrays.stream(CompanionConfig.Approval.values())
                .map(a -> a.name().toLowerCase(Locale.ROOT)).toList();
        Optional<YamlMap> map = r.map(node, path, kinds);
        if (map.isEmpty()) {
            return Optional.empty();
        }
        EnumMap<CompanionConfig.Approval, CompanionConfig.Unavailable> out = new EnumMap<>(
                CompanionConfig.Approval.class);
        int mark = r.mark();
        for (CompanionConfig.Approval a : CompanionConfig.Approval.values()) {
            String key = a.name().toLowerCase(Locale.ROOT);
            if (map.get().has(key)) {
                map.get().required(key, "allow or deny",
                        (n, p) -> r.choice(n, p, CompanionConfig.Unavailable.class)).ifPresent(v -> out.put(a, v));
            }
        }
        return r.cleanSince(mark) ? Optional.of(out) : Optional.empty();
    }
}
