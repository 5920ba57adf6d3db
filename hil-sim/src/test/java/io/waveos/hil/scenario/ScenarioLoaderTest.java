package io.waveos.hil.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.hil.runner.ScenarioLibrary;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScenarioLoaderTest {
    private static final String DEVICE = "device:\n  services:\n    - name: sensor\n";

    private static ScenarioException reject(String text) {
        return assertThrows(ScenarioException.class, () -> new ScenarioLoader().parse("s.yaml", text));
    }

    @Test
    void everyShippedScenarioLoads() throws Exception {
        ScenarioLibrary library = new ScenarioLibrary();
        List<Scenario> all = library.all();
        assertEquals(library.names().size(), all.size());
        assertTrue(all.size() >= 9, "library: " + library.names());
        assertTrue(all.stream().allMatch(s -> !s.expectations().isEmpty()));
    }

    @Test
    void readsServicesFaultsAndExpectations() throws Exception {
        Scenario s = new ScenarioLoader().parse("dir/x.yaml", "title: t\nduration: 10s\ntiers: [1]\n" + DEVICE
                + "      on_start: [{do: exit, code: 3, after: 2s}]\nfaults:\n  - {at: 1500ms, service: sensor, do: crash}\n"
                + "  - {at: 2s, do: power-cut, for: 1s}\nexpect:\n  - {event: service.exited, subject: sensor, at_least: 2}\n"
                + "  - {availability: sensor, at_least: 0.5}\n");
        assertEquals("x", s.name());
        assertEquals(new Scenario.Action(Duration.ofSeconds(2), Scenario.ActionKind.EXIT, 3, 0),
                s.device().services().get(0).onStart().get(0));
        assertEquals(FaultKind.POWER_CUT, s.faults().get(1).kind());
        assertEquals(Duration.ofSeconds(1), s.faults().get(1).length());
        assertEquals(2, ((Expectation.Occurs) s.expectations().get(0)).atLeast());
    }

    @Test
    void aPowerCutCanFallAtTheNthWriteOfAScopeOrSweepEveryWriteInTierOne() throws Exception {
        Scenario s = new ScenarioLoader().parse("s.yaml", "title: t\nduration: 10s\ntiers: [1]\n" + DEVICE
                + "faults:\n  - {at: 2s, do: power-cut, for: 1s, at_write: 7, writes: updates}\n"
                + "  - {at: 5s, do: power-cut, for: 1s, at_write: every}\n  - {at: 8s, do: power-cut, for: 1s}\n"
                + "expect: []\n");
        assertEquals(Optional.of(new CutPoint(CutPoint.Scope.UPDATES, java.util.OptionalInt.of(7))),
                s.faults().get(0).cut());
        assertEquals(Optional.of(new CutPoint(CutPoint.Scope.ANY, java.util.OptionalInt.empty())), s.faults().get(1).cut());
        assertEquals(Optional.empty(), s.faults().get(2).cut());
        assertEquals("power cut 1000 ms at the 7th update write", s.faults().get(0).label());
    }

    @Test
    void aCutPointIsRefusedOffAPowerCutAndASweepOutsideTierOne() {
        ScenarioException e = reject("title: t\nduration: 10s\n" + DEVICE + "faults:\n"
                + "  - {at: 1s, do: kill-agent, at_write: 3}\n  - {at: 2s, do: power-cut, for: 1s, at_write: every}\n"
                + "  - {at: 3s, do: power-cut, for: 1s, writes: updates}\n  - {at: 4s, do: power-cut, for: 1s, at_write: 0}\n"
                + "expect: []\n");
        List<String> lines = List.of(e.getMessage().split("\n"));
        assertEquals(4, lines.size(), e.getMessage());
        assertTrue(lines.get(0).startsWith("s.yaml:7: faults[0].at_write: only a power-cut"), lines.get(0));
        assertTrue(lines.get(1).startsWith("s.yaml:8: faults[1].at_write: 'every'"), lines.get(1));
        assertTrue(lines.get(2).startsWith("s.yaml:9: faults[2].writes: only with at_write"), lines.get(2));
        assertTrue(lines.get(3).startsWith("s.yaml:10: faults[3].at_write: expected an int in 1..1000000"), lines.get(3));
    }

    @Test
    void anUnknownKeyIsReportedWithFileLineAndKeyPath() {
        ScenarioException e = reject("title: t\nduration: 5s\n" + DEVICE + "      restrat: {intensity: 3}\nexpect: []\n");
        assertEquals("s.yaml:6: device.services[0].restrat: unknown key (known here: name, essential, "
                + "allowed_in_safe_mode, depends_on, restart, on_start)", e.getMessage());
    }

    @Test
    void everyProblemIsReportedAtOnceInLineOrder() {
        ScenarioException e = reject("title: t\nduration: 5\n" + DEVICE + "faults:\n  - {at: 1s, service: nosuch, do: crash}\n"
                + "expect:\n  - {final_mode: CALM}\n");
        List<String> lines = List.of(e.getMessage().split("\n"));
        assertEquals(3, lines.size(), e.getMessage());
        assertTrue(lines.get(0).startsWith("s.yaml:2: duration: expected a duration"), lines.get(0));
        assertTrue(lines.get(1).startsWith("s.yaml:7: faults[0].service: no service named 'nosuch'"), lines.get(1));
        assertTrue(lines.get(2).startsWith("s.yaml:9: expect[0].final_mode: expected one of NORMAL, DEGRADED, SAFE"),
                lines.get(2));
    }

    @Test
    void aFaultATierCannotInjectIsRefusedNamingTheTiers() {
        ScenarioException e = reject("title: t\nduration: 5s\n" + DEVICE + "faults:\n  - {at: 1s, do: clock-jump, by: 24h}\n"
                + "expect: []\n");
        assertTrue(e.getMessage().contains("s.yaml:7: faults[0].do: fault 'clock-jump' cannot be injected in tier [2]"),
                e.getMessage());
    }

    @Test
    void aHangIsRefusedInATier1Scenario() {
        ScenarioException e = reject("title: t\nduration: 5s\ntiers: [1]\n" + DEVICE
                + "faults:\n  - {at: 1s, service: sensor, do: hang}\nexpect: []\n");
        assertTrue(e.getMessage().contains("s.yaml:8: faults[0].do: 'hang' needs real processes"), e.getMessage());
    }

    @Test
    void aFaultAtOrAfterTheEndIsRefused() {
        ScenarioException e = reject("title: t\nduration: 5s\n" + DEVICE + "faults:\n  - {at: 5s, do: kill-agent}\n"
                + "expect: []\n");
        assertTrue(e.getMessage().contains("s.yaml:7: faults: at 5000 ms is not before the end"), e.getMessage());
    }

    @Test
    void aDuplicateKeyAndNotYamlAreReportedWithTheirLine() {
        assertTrue(reject("title: t\ntitle: u\n").getMessage().startsWith("s.yaml:2: title: key written twice"));
        assertTrue(reject("title: [\n").getMessage().startsWith("s.yaml:"), "not YAML");
    }

    @Test
    void anExpectationNeedsExactlyOneKind() {
        ScenarioException e = reject("title: t\nduration: 5s\n" + DEVICE + "expect:\n  - {runs: 2, final_mode: SAFE}\n");
        assertTrue(e.getMessage().contains("s.yaml:7: expect[0]: expected exactly one of"), e.getMessage());
    }

    @Test
    void aPolicyTheAgentWouldRefuseIsRefusedWithTheAgentsReason() {
        ScenarioException e = reject("title: t\nduration: 5s\ntiers: [1]\n" + DEVICE + "  policy: |\n"
                + "    policy_version: 1\n    rules:\n      - id: r\n        restart_limit: {service: sensor, max: 0, per: 1s}\n"
                + "expect: []\n");
        assertTrue(e.getMessage().startsWith("s.yaml:7: device.policy: the agent's policy loader refuses it:"),
                e.getMessage());
        assertTrue(e.getMessage().contains("restart_limit"), e.getMessage());
    }

    @Test
    void readsThePolicyTelemetryAndEvidenceOfTheDeviceAndTheArtifactExpectations() throws Exception {
        Scenario s = new ScenarioLoader().parse("p.yaml", "title: t\nduration: 10s\ntiers: [1]\n" + DEVICE
                + "  telemetry: {sample_interval: 1s}\n  evidence: {min_interval: 0s}\n  policy: |\n"
                + "    policy_version: 2\n    rules:\n      - id: lim\n        restart_limit: {service: sensor, max: 2, per: 5s}\n"
                + "expect:\n  - {evidence_pack: crash_loop, subject: sensor, at_least: 2}\n"
                + "  - {policy_decision: lim, action: restart_hold, outcome: fired}\n"
                + "  - {metric: \"service:sensor:rss_bytes\", stays_below: 64MiB, between: [1s, 9s]}\n"
                + "  - {metric: \"system::cpu_permille\", sampled_every: 2s}\n"
                + "  - {event: service.starting, subject: sensor, at_most: 3}\n");
        assertEquals(Map.of("sample_interval", "1s"), s.device().telemetry());
        assertEquals(Map.of("min_interval", "0s"), s.device().evidence());
        assertTrue(s.device().policy().orElseThrow().contains("restart_limit"));
        assertEquals(new Expectation.EvidencePack("crash_loop", Optional.of("sensor"), 2, 15), s.expectations().get(0));
        Expectation.Occurs decision = (Expectation.Occurs) s.expectations().get(1);
        assertEquals(new Expectation.EventMatch("policy.decision", Optional.of("lim"),
                Map.of("action", "restart_hold", "outcome", "fired")), decision.match());
        Expectation.Metric below = (Expectation.Metric) s.expectations().get(2);
        assertEquals(Expectation.MetricTest.STAYS_BELOW, below.test());
        assertEquals(64.0 * (1 << 20), below.level());
        assertEquals(Duration.ofSeconds(9), below.to());
        assertEquals(Duration.ofSeconds(2), ((Expectation.Metric) s.expectations().get(3)).every());
        assertEquals(3, ((Expectation.Occurs) s.expectations().get(4)).atMost());
    }

    @Test
    void aMetricExpectationNeedsASeriesNameAndExactlyOneTest() {
        ScenarioException e = reject("title: t\nduration: 5s\n" + DEVICE + "expect:\n"
                + "  - {metric: rss_bytes, reaches: 1}\n  - {metric: \"service:sensor:up\", reaches: 1, stays_below: 2}\n");
        List<String> lines = List.of(e.getMessage().split("\n"));
        assertEquals(2, lines.size(), e.getMessage());
        assertTrue(lines.get(0).startsWith("s.yaml:7: expect[0].metric: expected a series named scope:subject:metric"),
                lines.get(0));
        assertTrue(lines.get(1).startsWith("s.yaml:8: expect[1]: a metric expectation needs exactly one of"),
                lines.get(1));
    }

    @Test
    void clockJumpsAndFullDisksAreTierOneFaultsAndAClockJumpMustOutlastTheScenario() throws Exception {
        ScenarioException tier2 = reject("title: t\nduration: 5s\n" + DEVICE + "faults:\n"
                + "  - {at: 1s, do: disk-full, for: 1s}\nexpect: []\n");
        assertTrue(tier2.getMessage().contains("fault 'disk-full' cannot be injected in tier [2]"), tier2.getMessage());
        ScenarioException small = reject("title: t\nduration: 5s\ntiers: [1]\n" + DEVICE + "faults:\n"
                + "  - {at: 1s, do: clock-jump, by: 2s}\nexpect: []\n");
        assertTrue(small.getMessage().contains("a clock jump must be larger than the scenario"), small.getMessage());
        Scenario s = new ScenarioLoader().parse("j.yaml", "title: t\nduration: 5s\ntiers: [1]\n" + DEVICE + "faults:\n"
                + "  - {at: 1s, do: clock-jump, by: -2h}\n  - {at: 2s, do: disk-full, for: 1500ms}\nexpect: []\n");
        assertEquals(Duration.ofHours(-2), s.faults().get(0).length());
        assertEquals(Duration.ofMillis(1500), s.faults().get(1).length());
    }

    @Test
    void leakAndSpinRunInTierOneButHangStillNeedsRealProcesses() throws Exception {
        new ScenarioLoader().parse("l.yaml", "title: t\nduration: 5s\ntiers: [1]\n" + DEVICE + "faults:\n"
                + "  - {at: 1s, service: sensor, do: leak, rate: 1MiB}\n  - {at: 2s, service: sensor, do: spin}\nexpect: []\n");
        ScenarioException e = reject("title: t\nduration: 5s\ntiers: [1]\n" + DEVICE + "faults:\n"
                + "  - {at: 1s, service: sensor, do: hang}\nexpect: []\n");
        assertTrue(e.getMessage().contains("tier 1 models only crash, exit, leak and spin"), e.getMessage());
    }

    @Test
    void linkFaultsNeedAGuardian() {
        ScenarioException e = reject("title: t\nduration: 5s\ntiers: [2]\n" + DEVICE + "faults:\n"
                + "  - {at: 1s, do: serial-noise, ber: 0.01, for: 1s}\n  - {at: 2s, do: link-cut, for: 1s}\nexpect: []\n");
        List<String> lines = List.of(e.getMessage().split("\n"));
        assertEquals(2, lines.size(), e.getMessage());
        assertTrue(lines.get(0).contains("faults: serial-noise needs a Guardian (guardian.enabled: true)"), lines.get(0));
    }
}
