package io.waveos.hil.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.hil.runner.ScenarioLibrary;
import java.time.Duration;
import java.util.List;
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
    void aFaultNoTierCanInjectYetIsRefusedNamingTheTiers() {
        ScenarioException e = reject("title: t\nduration: 5s\n" + DEVICE + "faults:\n  - {at: 1s, do: serial-noise, ber: 0.001}\n"
                + "expect: []\n");
        assertTrue(e.getMessage().contains("s.yaml:7: faults[0].do: fault 'serial-noise' cannot be injected in tier [1, 2]"),
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
}
