package io.waveos.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.config.ConfigException.ConfigProblem;
import io.waveos.agent.platform.Signal;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {

    private static final String FILE = "agent.yaml";

    /** Lines 1-5; a test appends its own lines from line 6 on. */
    private static final String ONE_SERVICE = """
            schema_version: 1
            device_id: press-07
            services:
              - name: plc-bridge
                command: [/opt/plc-bridge]
            """;

    private final ConfigLoader loader = new ConfigLoader();

    private ConfigException rejected(String yaml) {
        return assertThrows(ConfigException.class, () -> loader.parse(FILE, yaml));
    }

    /** The rendered message has a line {@code agent.yaml:LINE: PATH: ...EXPECTATION...}. */
    private static void assertProblem(ConfigException e, int line, String path, String expectation) {
        String prefix = FILE + ":" + line + ": " + (path.isEmpty() ? "" : path + ": ");
        assertTrue(e.getMessage().lines().anyMatch(l -> l.startsWith(prefix) && l.contains(expectation)),
                () -> "no problem starting '" + prefix + "' and containing '" + expectation + "' in:\n"
                        + e.getMessage());
    }

    private AgentConfig parsed(String yaml) throws ConfigException {
        return loader.parse(FILE, yaml);
    }

    @Test
    void readsAFullConfigIntoTheExpectedRecords() throws ConfigException {
        AgentConfig config = parsed("""
                schema_version: 1
                device_id: press-07
                paths: {state: /data/waveos, logs: /data/log}
                services:
                  - name: plc-bridge
                    command: ["/opt/legacy/bin/plc-bridge", "--port", "/dev/ttyUSB0"]
                    env: {MODE: "prod", TOKEN: {value: "s3cret-token", secret: true}}
                    workdir: /opt/legacy
                    user: plc
                    group: dialout
                    essential: true
                    allowed_in_safe_mode: false
                    depends_on: [historian]
                    ready: {tcp: "127.0.0.1:5020", timeout: 10s, interval: 200ms}
                    stop: {signal: SIGINT, timeout: 5s}
                    restart:
                      policy: on_failure
                      backoff: {initial: 0s, max: 30s, factor: 1.5, jitter: 0.1, reset_after: 60s}
                      intensity: {max: 5, within: 60s}
                  - name: historian
                    command: [/opt/historian/run]
                    ready: {http: "http://127.0.0.1:8080/health"}
                  - name: hmi
                    command: [/opt/hmi/run]
                    ready: {exec: [/opt/hmi/check, --quick], timeout: 1m, interval: 1s}
                escalation: {optional: stop, essential: reboot, in_safe_mode: stay}
                modes: {safe_exit_after: 15m, degraded_retry_after: 1h}
                watchdog: {device: /dev/watchdog, kick_interval: 2s, boot_status: /sys/wd/bootstatus}
                reboot: {enabled: true, command: [/sbin/reboot, -f]}
                output: {max_file_size: 512KiB, keep: 5}
                shutdown: {budget: 45s}
                """);

        ServiceConfig plc = new ServiceConfig("plc-bridge",
                List.of("/opt/legacy/bin/plc-bridge", "--port", "/dev/ttyUSB0"),
                Map.of("MODE", new EnvValue("prod", false), "TOKEN", new EnvValue("s3cret-token", true)),
                Optional.of(Path.of("/opt/legacy")), Optional.of("plc"), Optional.of("dialout"), true, false,
                List.of("historian"),
                new ReadinessConfig(ReadinessConfig.Kind.TCP, List.of(), "127.0.0.1", 5020, null,
                        Duration.ofSeconds(10), Duration.ofMillis(200)),
                new StopConfig(Signal.INT, Duration.ofSeconds(5)),
                new RestartConfig(RestartConfig.Policy.ON_FAILURE,
                        new RestartConfig.Backoff(Duration.ZERO, Duration.ofSeconds(30), 1.5, 0.1,
                                Duration.ofSeconds(60)),
                        new RestartConfig.Intensity(5, Duration.ofSeconds(60))));
        ServiceConfig historian = new ServiceConfig("historian", List.of("/opt/historian/run"), Map.of(),
                Optional.empty(), Optional.empty(), Optional.empty(), false, false, List.of(),
                new ReadinessConfig(ReadinessConfig.Kind.HTTP, List.of(), null, 0,
                        URI.create("http://127.0.0.1:8080/health"), Duration.ofSeconds(10), Duration.ofMillis(200)),
                StopConfig.defaults(), RestartConfig.defaults());
        ServiceConfig hmi = new ServiceConfig("hmi", List.of("/opt/hmi/run"), Map.of(),
                Optional.empty(), Optional.empty(), Optional.empty(), false, false, List.of(),
                new ReadinessConfig(ReadinessConfig.Kind.EXEC, List.of("/opt/hmi/check", "--quick"), null, 0, null,
                        Duration.ofMinutes(1), Duration.ofSeconds(1)),
                StopConfig.defaults(), RestartConfig.defaults());
        AgentConfig expected = new AgentConfig(1, "press-07",
                new PathsConfig(Path.of("/data/waveos"), Path.of("/data/log")),
                List.of(plc, historian, hmi),
                new EscalationConfig(EscalationConfig.OptionalAction.STOP, EscalationConfig.EssentialAction.REBOOT,
                        EscalationConfig.SafeModeAction.STAY),
                new ModesConfig(Duration.ofMinutes(15), Duration.ofHours(1)),
                new WatchdogConfig(Optional.of(Path.of("/dev/watchdog")), Duration.ofSeconds(2),
                        Optional.of(Path.of("/sys/wd/bootstatus"))),
                new RebootConfig(true, List.of("/sbin/reboot", "-f")),
                new OutputConfig(512 * 1024, 5),
                new ShutdownConfig(Duration.ofSeconds(45)));
        assertEquals(expected, config);
    }

    @Test
    void appliesDefaultsToEverythingLeftOut() throws ConfigException {
        AgentConfig config = parsed(ONE_SERVICE);

        assertEquals(new PathsConfig(Path.of("/var/lib/waveos"), Path.of("/var/log/waveos")), config.paths());
        assertEquals(EscalationConfig.defaults(), config.escalation());
        assertEquals(ModesConfig.defaults(), config.modes());
        assertEquals(WatchdogConfig.defaults(), config.watchdog());
        assertEquals(RebootConfig.defaults(), config.reboot());
        assertEquals(OutputConfig.defaults(), config.output());
        assertEquals(ShutdownConfig.defaults(), config.shutdown());
        ServiceConfig s = config.services().get(0);
        assertEquals(new ServiceConfig("plc-bridge", List.of("/opt/plc-bridge"), Map.of(), Optional.empty(),
                Optional.empty(), Optional.empty(), false, false, List.of(), ReadinessConfig.started(),
                StopConfig.defaults(), RestartConfig.defaults()), s);
    }

    @Test
    void fillsLeftOutKeysOfAPartialSectionFromItsDefaults() throws ConfigException {
        AgentConfig config = parsed(ONE_SERVICE + """
                    restart: {backoff: {factor: 3}}
                watchdog: {device: /dev/watchdog1, boot_status: null}
                """);

        RestartConfig.Backoff d = RestartConfig.Backoff.defaults();
        assertEquals(new RestartConfig.Backoff(d.initial(), d.max(), 3.0, d.jitter(), d.resetAfter()),
                config.services().get(0).restart().backoff());
        assertEquals(new WatchdogConfig(Optional.of(Path.of("/dev/watchdog1")), Duration.ofSeconds(5),
                WatchdogConfig.defaults().bootStatus()), config.watchdog());
    }

    @Test
    void acceptsIpv6TcpTargetsInBrackets() throws ConfigException {
        AgentConfig config = parsed(ONE_SERVICE + "    ready: {tcp: \"[::1]:5020\"}\n");

        ReadinessConfig ready = config.services().get(0).ready();
        assertEquals("::1", ready.tcpHost());
        assertEquals(5020, ready.tcpPort());
    }

    @ParameterizedTest(name = "{0} is {1} ms")
    @CsvSource({"0s, 0", "500ms, 500", "10s, 10000", "2m, 120000", "1h, 3600000"})
    void readsDurationsWithAUnit(String text, long millis) throws ConfigException {
        AgentConfig config = parsed(ONE_SERVICE + "    stop: {timeout: " + text + "}\n");

        assertEquals(Duration.ofMillis(millis), config.services().get(0).stop().timeout());
    }

    @ParameterizedTest(name = "{0} is {1} bytes")
    @CsvSource({"1024B, 1024", "512KiB, 524288", "1MiB, 1048576", "2GiB, 2147483648"})
    void readsSizesWithABinaryUnit(String text, long bytes) throws ConfigException {
        AgentConfig config = parsed(ONE_SERVICE + "output: {max_file_size: " + text + "}\n");

        assertEquals(bytes, config.output().maxFileBytes());
    }

    @ParameterizedTest(name = "rejects duration {0}")
    @CsvSource(delimiter = '|', value = {
        "-5s | durations must not be negative",
        "10 | missing unit",
        "ten seconds | a whole number and a unit ms, s, m or h",
        "1.5s | a whole number and a unit ms, s, m or h",
        "'10 s' | a whole number and a unit ms, s, m or h",
        "5d | a whole number and a unit ms, s, m or h",
        "10S | a whole number and a unit ms, s, m or h",
        "true | expected a duration"})
    void rejectsMalformedDurationsSayingWhatWasExpected(String text, String expectation) {
        ConfigException e = rejected(ONE_SERVICE + "    stop: {timeout: " + text + "}\n");

        assertProblem(e, 6, "services[0].stop.timeout", "expected a duration");
        assertProblem(e, 6, "services[0].stop.timeout", expectation);
    }

    @ParameterizedTest(name = "rejects size {0}")
    @CsvSource(delimiter = '|', value = {
        "10MB | only binary units",
        "1.5MiB | a whole number and a unit B, KiB, MiB or GiB",
        "-1KiB | sizes must not be negative",
        "4096 | missing unit",
        "'1 MiB' | a whole number and a unit B, KiB, MiB or GiB"})
    void rejectsMalformedSizesSayingWhatWasExpected(String text, String expectation) {
        ConfigException e = rejected(ONE_SERVICE + "output: {max_file_size: " + text + "}\n");

        assertProblem(e, 6, "output.max_file_size", "expected a size");
        assertProblem(e, 6, "output.max_file_size", expectation);
    }

    @Test
    void rejectsAZeroDurationWhereAPositiveOneIsNeeded() {
        ConfigException e = rejected(ONE_SERVICE + "    ready: {started: true, timeout: 0s}\n");

        assertProblem(e, 6, "services[0].ready.timeout", "expected a duration greater than 0s");
    }

    @Test
    void rejectsUnknownKeysNamingTheAllowedOnes() {
        ConfigException e = rejected(ONE_SERVICE + """
                    restart: {polcy: never}
                shutdwn: {budget: 10s}
                """);

        assertProblem(e, 6, "services[0].restart.polcy", "unknown key; allowed keys: policy, backoff, intensity");
        assertProblem(e, 7, "shutdwn", "unknown key; allowed keys: schema_version, device_id, paths, services,");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "essential: yes | services[0].essential | expected a bool (true or false), got a string",
        "user: 1000 | services[0].user | expected a string, got an int (quote it",
        "ready: fast | services[0].ready | expected a map, got a string",
        "depends_on: historian | services[0].depends_on | expected a list of service names, got a string",
        "restart: {intensity: {max: '5'}} | services[0].restart.intensity.max | expected an int, got a string",
        "restart: {backoff: {factor: fast}} | services[0].restart.backoff.factor | expected a number",
        "essential: | services[0].essential | expected a bool (true or false), got an empty value (null)",
        "stop: {signal: 15} | services[0].stop.signal | expected a string, got an int"})
    void rejectsValuesOfTheWrongType(String line, String path, String expectation) {
        ConfigException e = rejected(ONE_SERVICE + "    " + line + "\n");

        assertProblem(e, 6, path, expectation);
    }

    @Test
    void rejectsAnEmptySectionInsteadOfTreatingItAsDefaults() {
        ConfigException e = rejected(ONE_SERVICE + "paths:\n");

        assertProblem(e, 6, "paths", "expected a map, got an empty value (null)");
    }

    @Test
    void rejectsACommandGivenAsOneString() {
        ConfigException e = rejected("""
                schema_version: 1
                device_id: d
                services:
                  - name: a
                    command: /bin/a --flag
                """);

        assertProblem(e, 5, "services[0].command", "expected a command as a list of strings");
    }

    @Test
    void rejectsAServiceWithoutACommand() {
        ConfigException e = rejected("""
                schema_version: 1
                device_id: d
                services:
                  - name: a
                    essential: true
                """);

        assertProblem(e, 4, "services[0].command", "missing required key (expected a non-empty list of strings)");
    }

    @Test
    void rejectsAnEmptyCommandAndABlankProgram() {
        ConfigException e = rejected("""
                schema_version: 1
                device_id: d
                services:
                  - name: a
                    command: []
                  - name: b
                    command: ["  ", --flag]
                """);

        assertProblem(e, 5, "services[0].command", "expected a non-empty command list");
        assertProblem(e, 7, "services[1].command[0]", "expected the program to run, got a blank string");
    }

    @Test
    void rejectsMissingRequiredTopLevelKeysAllAtOnce() {
        ConfigException e = rejected("output: {keep: 3}\n");

        assertProblem(e, 1, "schema_version", "missing required key (expected an int: 1)");
        assertProblem(e, 1, "device_id", "missing required key (expected a string)");
        assertProblem(e, 1, "services", "missing required key (expected a list of services)");
        assertEquals(3, e.problems().size());
    }

    @Test
    void rejectsAnUnsupportedSchemaVersionNamingTheSupportedOne() {
        ConfigException e = rejected(ONE_SERVICE.replace("schema_version: 1", "schema_version: 2"));

        assertProblem(e, 1, "schema_version", "unsupported schema version 2; this agent supports schema_version: 1");
    }

    @Test
    void rejectsAServiceNameOutsideTheAllowedAlphabet() {
        ConfigException e = rejected(ONE_SERVICE.replace("name: plc-bridge", "name: PLC Bridge"));

        assertProblem(e, 4, "services[0].name", "expected a service name matching " + ServiceConfig.NAME);
    }

    @Test
    void rejectsADuplicateServiceNameAtItsSecondDefinition() {
        ConfigException e = rejected("""
                schema_version: 1
                device_id: d
                services:
                  - name: a
                    command: [/bin/a]
                  - command: [/bin/a2]
                    name: a
                """);

        assertProblem(e, 7, "services[1].name", "duplicate service name 'a' (first defined at line 4)");
        assertEquals(1, e.problems().size());
    }

    @Test
    void rejectsADependencyOnAnUnknownService() {
        ConfigException e = rejected(ONE_SERVICE + "    depends_on: [historian]\n");

        assertProblem(e, 6, "services[0].depends_on[0]", "unknown service 'historian'; defined services: plc-bridge");
    }

    @Test
    void rejectsADependencyCycleNamingItsPath() {
        ConfigException e = rejected("""
                schema_version: 1
                device_id: d
                services:
                  - name: a
                    command: [/bin/a]
                    depends_on: [b]
                  - name: b
                    command: [/bin/b]
                    depends_on: [c]
                  - name: c
                    command: [/bin/c]
                    depends_on: [a]
                """);

        assertProblem(e, 12, "services[2].depends_on[0]", "dependency cycle: a -> b -> c -> a");
        assertEquals(1, e.problems().size());
    }

    @Test
    void rejectsAServiceThatDependsOnItselfAsACycle() {
        ConfigException e = rejected(ONE_SERVICE + "    depends_on: [plc-bridge]\n");

        assertProblem(e, 6, "services[0].depends_on[0]", "dependency cycle: plc-bridge -> plc-bridge");
    }

    @Test
    void rejectsADuplicateMappingKeyAtItsSecondOccurrence() {
        ConfigException e = rejected("""
                schema_version: 1
                device_id: a
                device_id: b
                services: []
                """);

        assertProblem(e, 3, "device_id", "duplicate key (first defined at line 2)");
    }

    @Test
    void turnsARecordConstructorRejectionIntoAProblemAtItsMapping() {
        ConfigException e = rejected(ONE_SERVICE + """
                    restart:
                      backoff:
                        initial: 10s
                        max: 5s
                """);

        assertProblem(e, 8, "services[0].restart.backoff", "backoff max must be at least initial");
    }

    @Test
    void requiresExactlyOneReadinessKind() {
        ConfigException e = rejected("""
                schema_version: 1
                device_id: d
                services:
                  - name: a
                    command: [/bin/a]
                    ready: {exec: [/bin/check], tcp: "127.0.0.1:1"}
                  - name: b
                    command: [/bin/b]
                    ready: {timeout: 5s}
                """);

        assertProblem(e, 6, "services[0].ready", "expected exactly one of started, exec, tcp, http; got exec, tcp");
        assertProblem(e, 9, "services[1].ready", "expected exactly one of started, exec, tcp, http; got none");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{tcp: localhost} | services[0].ready.tcp | expected host:port",
        "{tcp: '127.0.0.1:70000'} | services[0].ready.tcp | expected host:port with a port in 1..65535",
        "{tcp: '::1:80'} | services[0].ready.tcp | expected host:port",
        "{http: 'ftp://host/x'} | services[0].ready.http | expected an http:// or https:// URL",
        "{http: 'not a url'} | services[0].ready.http | expected an http:// or https:// URL",
        "{exec: []} | services[0].ready.exec | expected a non-empty command list",
        "{started: false} | services[0].ready.started | expected true"})
    void rejectsAMalformedReadinessCheck(String ready, String path, String expectation) {
        ConfigException e = rejected(ONE_SERVICE + "    ready: " + ready + "\n");

        assertProblem(e, 6, path, expectation);
    }

    @Test
    void rejectsAnUnknownSignalName() {
        ConfigException e = rejected(ONE_SERVICE + "    stop: {signal: TERMINATE}\n");

        assertProblem(e, 6, "services[0].stop.signal", "expected a signal name such as TERM");
    }

    @Test
    void rejectsAChoiceNotWrittenInLowerSnakeCase() {
        ConfigException e = rejected(ONE_SERVICE + """
                    restart: {policy: OnFailure}
                escalation: {essential: safe-mode}
                """);

        assertProblem(e, 6, "services[0].restart.policy", "expected one of always, on_failure, never, got 'OnFailure'");
        assertProblem(e, 7, "escalation.essential", "expected one of safe_mode, reboot, got 'safe-mode'");
    }

    @Test
    void rejectsRelativePaths() {
        ConfigException e = rejected(ONE_SERVICE + "    workdir: opt/legacy\npaths: {state: state}\n");

        assertProblem(e, 6, "services[0].workdir", "expected an absolute path");
        assertProblem(e, 7, "paths.state", "expected an absolute path");
    }

    @Test
    void reportsEveryProblemInLineOrder() {
        ConfigException e = rejected("""
                schema_version: 1
                device_id: d
                services:
                  - name: a
                    restart: {policy: sometimes}
                    stop: {timeout: 5}
                modes: {safe_exit_after: soon}
                """);

        List<ConfigProblem> problems = e.problems();
        assertEquals(List.of(4, 5, 6, 7), problems.stream().map(ConfigProblem::line).toList());
        assertEquals(List.of("services[0].command", "services[0].restart.policy", "services[0].stop.timeout",
                "modes.safe_exit_after"), problems.stream().map(ConfigProblem::keyPath).toList());
        assertEquals(4, e.getMessage().lines().count());
    }

    @Test
    void neverPutsAnEnvironmentValueIntoAProblem() {
        ConfigException e = rejected(ONE_SERVICE + """
                    env:
                      TOKEN: {value: "hunter2-secret", secret: "yes"}
                      NUMBER: 424242
                      LISTED: [hunter3-secret]
                      NESTED: {value: {v: hunter4-secret}, secret: true}
                      1BAD-hunter5-secret: x
                      PIN: {value: 987654, secret: true}
                    essential: maybe
                """);

        assertProblem(e, 7, "services[0].env.TOKEN.secret", "expected a bool (true or false), got a string");
        assertProblem(e, 8, "services[0].env.NUMBER", "got an int");
        assertProblem(e, 9, "services[0].env.LISTED", "got a list");
        assertProblem(e, 10, "services[0].env.NESTED.value", "expected a string, got a map");
        assertProblem(e, 11, "services[0].env", "expected environment variable names matching");
        assertProblem(e, 12, "services[0].env.PIN.value", "expected a string, got an int");
        assertProblem(e, 13, "services[0].essential", "expected a bool");
        for (String leak : List.of("hunter2", "424242", "hunter3", "hunter4", "hunter5", "987654")) {
            assertFalse(e.getMessage().contains(leak), () -> leak + " leaked into:\n" + e.getMessage());
        }
    }

    @Test
    void neverQuotesASecretFromASyntaxErrorOnItsLine() {
        ConfigException e = rejected(ONE_SERVICE + """
                    env: {TOKEN: {value: "hunter2-secret\\q", secret: true}}
                """);

        assertProblem(e, 6, "", "not valid YAML");
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void masksSecretsWhenTheLoadedConfigIsPrinted() throws ConfigException {
        AgentConfig config = parsed(ONE_SERVICE + "    env: {TOKEN: {value: hunter2-secret, secret: true}, MODE: prod}\n");

        assertEquals("hunter2-secret", config.services().get(0).environment().get("TOKEN").value());
        assertFalse(config.toString().contains("hunter2"), config.toString());
        assertTrue(config.toString().contains("prod"), config.toString());
    }

    @Test
    void rejectsTextThatIsNotYamlWithTheParsersLine() {
        ConfigException e = rejected("""
                schema_version: 1
                device_id: press: 07
                services: []
                """);

        assertEquals(1, e.problems().size());
        assertProblem(e, 2, "", "not valid YAML: mapping values are not allowed here");
    }

    @Test
    void rejectsMoreThanOneDocument() {
        ConfigException e = rejected(ONE_SERVICE + "---\nschema_version: 1\n");

        assertProblem(e, 6, "", "not valid YAML: but found another document");
    }

    @Test
    void rejectsAListAtTheTopLevel() {
        ConfigException e = rejected("- schema_version: 1\n- device_id: d\n");

        assertProblem(e, 1, "", "expected a map at the top level (schema_version, device_id, services, ...), got a list");
    }

    @ParameterizedTest(name = "empty text #{index}")
    @ValueSource(strings = {"", "\n\n", "# nothing but a comment\n"})
    void rejectsAnEmptyDocument(String text) {
        ConfigException e = rejected(text);

        assertProblem(e, 1, "", "the file is empty; expected a map with at least schema_version, device_id and services");
    }

    @Test
    void rejectsEnvironmentReferencesRatherThanLeavingThemUnexpanded() {
        ConfigException e = rejected(ONE_SERVICE.replace("device_id: press-07", "device_id: ${DEVICE}"));

        assertProblem(e, 2, "device_id", "expected a string, got an environment reference ${...} (not supported");
    }
}
