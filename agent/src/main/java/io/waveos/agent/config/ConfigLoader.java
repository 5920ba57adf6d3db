package io.waveos.agent.config;

import io.waveos.agent.config.ConfigException.ConfigProblem;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * The strict {@code agent.yaml} loader: YAML 1.2 text in, a validated {@link AgentConfig} out, or a
 * {@link ConfigException} listing every problem found (see {@code docs/config.md}).
 *
 * <p>Each problem names the file, the 1-based line, the key path and what was expected. Key paths
 * join map keys with {@code .} and give list positions 0-based in brackets:
 * {@code services[1].restart.backoff.max}, {@code services[0].env.TOKEN.secret}; an empty path is the
 * document itself. Values under {@code env} never appear in problems.
 *
 * <p>Pure (no I/O, no state between calls) and thread-safe.
 */
public final class ConfigLoader {

    static final List<String> TOP_KEYS = List.of("schema_version", "device_id", "paths", "services",
            "escalation", "modes", "watchdog", "reboot", "output", "shutdown", "companion",
            "updates", "policy", "telemetry", "evidence", "spool", "api");
    static final Path DEFAULT_STATE = Path.of("/var/lib/waveos");
    static final Path DEFAULT_LOGS = Path.of("/var/log/waveos");

    /**
     * Parses and validates {@code yamlText}.
     *
     * @param fileName how problems name the file (usually the path as the operator gave it)
     * @throws ConfigException with every problem found; its message has one problem per line
     */
    public AgentConfig parse(String fileName, String yamlText) throws ConfigException {
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(yamlText, "yamlText");
        Node root = compose(fileName, yamlText);
        NodeReader reader = new NodeReader(fileName);
        Optional<AgentConfig> config = new Document(reader).read(root);
        List<ConfigProblem> problems = reader.problems();
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return config.orElseThrow();
    }

    /**
     * Parses one service definition with exactly the rules of an entry of {@code services} (an app
     * bundle's manifest carries its services as JSON objects, and JSON is YAML). Dependencies are not
     * checked here: the supervisor checks them against the services that exist when it is applied.
     *
     * @param origin how problems name the source, e.g. {@code bundle app-1.4 manifest.services[0]}
     */
    public ServiceConfig parseService(String origin, String jsonText) throws ConfigException {
        Objects.requireNonNull(origin, "origin");
        Node node = compose(origin, jsonText);
        NodeReader reader = new NodeReader(origin);
        ServiceReader.Entry entry = new ServiceReader(reader).read(node, "service");
        if (!reader.problems().isEmpty() || entry.config().isEmpty()) {
            throw new ConfigException(reader.problems().isEmpty()
                    ? List.of(new ConfigProblem(origin, 0, "service", "not a valid service definition"))
                    : reader.problems());
        }
        return entry.config().orElseThrow();
    }

    private static Node compose(String fileName, String yamlText) throws ConfigException {
        return NodeReader.compose(fileName, yamlText,
                "the file is empty; expected a map with at least schema_version, device_id and services");
    }

    /** One parse: the top level and the sections other than {@code services}. */
    private static final class Document {
        private final NodeReader r;

        Document(NodeReader reader) {
            this.r = reader;
        }

        Optional<AgentConfig> read(Node root) {
            if (!(root instanceof MappingNode) || !Tag.MAP.equals(root.getTag())) {
                r.problem(root, "", "expected a map at the top level (schema_version, device_id, services, ...), got "
                        + NodeReader.describe(root));
                return Optional.empty();
            }
            YamlMap top = r.map(root, "", TOP_KEYS).orElseThrow();
            Optional<Integer> version = top.required("schema_version", "an int: " + AgentConfig.SCHEMA_VERSION,
                    this::schemaVersion);
            Optional<String> deviceId = top.required("device_id", "a string", r::nonBlankString);
            Optional<PathsConfig> paths = top.optional("paths", new PathsConfig(DEFAULT_STATE, DEFAULT_LOGS),
                    this::paths);
            Optional<List<ServiceConfig>> services = top.required("services", "a list of services", this::services);
            Optional<EscalationConfig> escalation = top.optional("escalation", EscalationConfig.defaults(),
                    this::escalation);
            Optional<ModesConfig> modes = top.optional("modes", ModesConfig.defaults(), this::modes);
            Optional<WatchdogConfig> watchdog = top.optional("watchdog", WatchdogConfig.defaults(), this::watchdog);
            Optional<RebootConfig> reboot = top.optional("reboot", RebootConfig.defaults(), this::reboot);
            Optional<OutputConfig> output = top.optional("output", OutputConfig.defaults(), this::output);
            Optional<ShutdownConfig> shutdown = top.optional("shutdown", ShutdownConfig.defaults(), this::shutdown);
            Optional<Optional<CompanionConfig>> companion = top.optional("companion", Optional.empty(),
                    new CompanionReader(r)::read);
            Path stateDir = paths.map(PathsConfig::state).orElse(DEFAULT_STATE);
            Optional<Optional<UpdatesConfig>> updates = top.optional("updates", Optional.empty(),
                    new UpdatesReader(r, stateDir)::read);
            Optional<Optional<PolicyConfig>> policy = top.optional("policy", Optional.empty(),
                    new PolicyConfigReader(r)::read);
            PathsConfig pathsOrDefault = paths.orElse(new PathsConfig(DEFAULT_STATE, DEFAULT_LOGS));
            TelemetryReader telemetryReader = new TelemetryReader(r, pathsOrDefault);
            Optional<TelemetryConfig> telemetry = top.optional("telemetry", TelemetryConfig.defaults(),
                    telemetryReader::telemetry);
            Optional<EvidenceConfig> evidence = top.optional("evidence", EvidenceConfig.defaults(pathsOrDefault),
                    telemetryReader::evidence);
            SpoolConfigReader spoolReader = new SpoolConfigReader(r, pathsOrDefault, top.has("output"));
            Optional<SpoolConfig> spool = top.optional("spool", spoolReader.defaults(), spoolReader::read);
            Optional<Optional<ApiConfig>> api = top.optional("api", Optional.empty(), new ApiConfigReader(r)::read);
            if (!r.cleanSince(0)) {
                return Optional.empty();
            }
            return r.build(root, "", () -> new AgentConfig(version.orElseThrow(), deviceId.orElseThrow(),
                    paths.orElseThrow(), services.orElseThrow(), escalation.orElseThrow(), modes.orElseThrow(),
                    watchdog.orElseThrow(), reboot.orElseThrow(), output.orElseThrow(), shutdown.orElseThrow(),
                    companion.orElseThrow(), updates.orElseThrow(), policy.orElseThrow(), telemetry.orElseThrow(),
                    evidence.orElseThrow(), spool.orElseThrow(), api.orElseThrow()));
        }

        private Optional<Integer> schemaVersion(Node node, String path) {
            Optional<Integer> version = r.integer(node, path);
            if (version.isPresent() && version.get() != AgentConfig.SCHEMA_VERSION) {
                r.problem(node, path, "unsupported schema version " + version.get()
                        + "; this agent supports schema_version: " + AgentConfig.SCHEMA_VERSION);
                return Optional.empty();
            }
            return version;
        }

        private Optional<List<ServiceConfig>> services(Node node, String path) {
            if (!(node instanceof SequenceNode seq) || !Tag.SEQ.equals(node.getTag())) {
                r.problem(node, path, "expected a list of services, got " + NodeReader.describe(node));
                return Optional.empty();
            }
            int mark = r.mark();
            ServiceReader serviceReader = new ServiceReader(r);
            List<ServiceReader.Entry> entries = new ArrayList<>();
            for (int i = 0; i < seq.getValue().size(); i++) {
                entries.add(serviceReader.read(seq.getValue().get(i), NodeReader.index(path, i)));
            }
            new CrossServiceCheck(r).check(entries);
            if (!r.cleanSince(mark)) {
                return Optional.empty();
            }
            return Optional.of(entries.stream().map(e -> e.config().orElseThrow()).toList());
        }

        private Optional<PathsConfig> paths(Node node, String path) {
            Optional<YamlMap> map = r.map(node, path, List.of("state", "logs"));
            if (map.isEmpty()) {
                return Optional.empty();
            }
            Optional<Path> state = map.get().optional("state", DEFAULT_STATE, r::absolutePath);
            Optional<Path> logs = map.get().optional("logs", DEFAULT_LOGS, r::absolutePath);
            if (state.isEmpty() || logs.isEmpty()) {
                return Optional.empty();
            }
            return r.build(node, path, () -> new PathsConfig(state.orElseThrow(), logs.orElseThrow()));
        }

        private Optional<EscalationConfig> escalation(Node node, String path) {
            Optional<YamlMap> map = r.map(node, path, List.of("optional", "essential", "in_safe_mode"));
            if (map.isEmpty()) {
                return Optional.empty();
            }
            EscalationConfig d = EscalationConfig.defaults();
            Optional<EscalationConfig.OptionalAction> optional = map.get().optional("optional", d.optional(),
                    (n, p) -> r.choice(n, p, EscalationConfig.OptionalAction.class));
            Optional<EscalationConfig.EssentialAction> essential = map.get().optional("essential", d.essential(),
                    (n, p) -> r.choice(n, p, EscalationConfig.EssentialAction.class));
            Optional<EscalationConfig.SafeModeAction> inSafeMode = map.get().optional("in_safe_mode",
                    d.inSafeMode(), (n, p) -> r.choice(n, p, EscalationConfig.SafeModeAction.class));
            if (optional.isEmpty() || essential.isEmpty() || inSafeMode.isEmpty()) {
                return Optional.empty();
            }
            return r.build(node, path, () -> new EscalationConfig(optional.orElseThrow(), essential.orElseThrow(),
                    inSafeMode.orElseThrow()));
        }

        private Optional<ModesConfig> modes(Node node, String path) {
            Optional<YamlMap> map = r.map(node, path, List.of("safe_exit_after", "degraded_retry_after"));
            if (map.isEmpty()) {
                return Optional.empty();
            }
            ModesConfig d = ModesConfig.defaults();
            Optional<Duration> safeExit = map.get().optional("safe_exit_after", d.safeExitAfter(),
                    r::positiveDuration);
            Optional<Duration> retry = map.get().optional("degraded_retry_after", d.degradedRetryAfter(),
                    r::positiveDuration);
            if (safeExit.isEmpty() || retry.isEmpty()) {
                return Optional.empty();
            }
            return r.build(node, path, () -> new ModesConfig(safeExit.orElseThrow(), retry.orElseThrow()));
        }

        /** {@code device} absent or null: no hardware watchdog; {@code boot_status} absent or null: default. */
        private Optional<WatchdogConfig> watchdog(Node node, String path) {
            Optional<YamlMap> map = r.map(node, path, List.of("device", "kick_interval", "boot_status"));
            if (map.isEmpty()) {
                return Optional.empty();
            }
            WatchdogConfig d = WatchdogConfig.defaults();
            Optional<Optional<Path>> device = map.get().nullable("device", r::absolutePath);
            Optional<Duration> kick = map.get().optional("kick_interval", d.kickInterval(), r::positiveDuration);
            Optional<Optional<Path>> bootStatus = map.get().nullable("boot_status", r::absolutePath)
                    .map(p -> p.or(d::bootStatus));
            if (device.isEmpty() || kick.isEmpty() || bootStatus.isEmpty()) {
                return Optional.empty();
            }
            return r.build(node, path, () -> new WatchdogConfig(device.orElseThrow(), kick.orElseThrow(),
                    bootStatus.orElseThrow()));
        }

        private Optional<RebootConfig> reboot(Node node, String path) {
            Optional<YamlMap> map = r.map(node, path, List.of("enabled", "command"));
            if (map.isEmpty()) {
                return Optional.empty();
            }
            RebootConfig d = RebootConfig.defaults();
            Optional<Boolean> enabled = map.get().optional("enabled", d.enabled(), r::bool);
            Optional<List<String>> command = map.get().optional("command", d.command(), r::command);
            if (enabled.isEmpty() || command.isEmpty()) {
                return Optional.empty();
            }
            return r.build(node, path, () -> new RebootConfig(enabled.orElseThrow(), command.orElseThrow()));
        }

        private Optional<OutputConfig> output(Node node, String path) {
            Optional<YamlMap> map = r.map(node, path, List.of("max_file_size", "keep"));
            if (map.isEmpty()) {
                return Optional.empty();
            }
            OutputConfig d = OutputConfig.defaults();
            Optional<Long> maxFileSize = map.get().optional("max_file_size", d.maxFileBytes(), r::size);
            Optional<Integer> keep = map.get().optional("keep", d.keepFiles(), r::integer);
            if (maxFileSize.isEmpty() || keep.isEmpty()) {
                return Optional.empty();
            }
            return r.build(node, path, () -> new OutputConfig(maxFileSize.orElseThrow(), keep.orElseThrow()));
        }

        private Optional<ShutdownConfig> shutdown(Node node, String path) {
            Optional<YamlMap> map = r.map(node, path, List.of("budget"));
            if (map.isEmpty()) {
                return Optional.empty();
            }
            Optional<Duration> budget = map.get().optional("budget", ShutdownConfig.defaults().budget(),
                    r::positiveDuration);
            return budget.flatMap(b -> r.build(node, path, () -> new ShutdownConfig(b)));
        }
    }
}
