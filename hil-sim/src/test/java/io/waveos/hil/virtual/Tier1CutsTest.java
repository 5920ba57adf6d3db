package io.waveos.hil.virtual;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.hil.grading.Grade;
import io.waveos.hil.grading.Grader;
import io.waveos.hil.report.ScenarioResult;
import io.waveos.hil.report.Sweep;
import io.waveos.hil.rig.Progress;
import io.waveos.hil.rig.RunRecord;
import io.waveos.hil.runner.CutSweep;
import io.waveos.hil.runner.ScenarioLibrary;
import io.waveos.hil.scenario.Scenario;
import io.waveos.hil.scenario.ScenarioLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tier 1's power cuts at a storage write and its sweeps, on the real agent and installer: the cut
 * lands just before the operation it names, a sweep recovers at every install write, a sweep can
 * fail, and the hardware watchdog bites a hung agent.
 */
class Tier1CutsTest {
    private static final String SWEEP = "update-power-cut-every-install-write";
    private static final Path UPDATES = Path.of("/sim/state/updates");
    @TempDir
    Path work;

    private static String libraryText(String name) throws Exception {
        try (var in = Tier1CutsTest.class.getResourceAsStream("/scenarios/" + name + ".yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void everyWriteOfAnUpdateIsCutOnceAndTheDeviceRecoversFromEach() throws Exception {
        Scenario s = new ScenarioLibrary().load(SWEEP);
        long t0 = System.nanoTime();
        ScenarioResult r = new CutSweep(new VirtualRig()).run(s, 1, work, Progress.SILENT);
        Sweep sweep = r.sweep().orElseThrow();
        int k = sweep.points().size();
        assertTrue(k > 10, "only " + k + " cut points");
        assertTrue(r.passed(), sweep.points().stream().filter(p -> !p.passed()).toList().toString());
        assertEquals("recovered cut points: " + k + "/" + k, r.keyFigure());
        assertTrue(sweep.points().stream().anyMatch(p -> p.operation().startsWith("rename /sim/state/updates/")),
                sweep.points().toString());
        System.out.printf("sweep %s: K = %d, %.1f s%n", SWEEP, k, (System.nanoTime() - t0) / 1e9);
    }

    @Test
    void theSweepPassesUnderSeededFaultJitter() throws Exception {
        Scenario s = new ScenarioLibrary().load(SWEEP);
        CutSweep sweep = new CutSweep(new VirtualRig(Duration.ofMillis(400)));
        for (long seed = 2; seed <= 3; seed++) {
            ScenarioResult r = sweep.run(s, seed, work.resolve("seed-" + seed), Progress.SILENT);
            assertTrue(r.passed(), "seed " + seed + ": " + r.keyFigure() + " " + r.sweep().orElseThrow().points()
                    .stream().filter(p -> !p.passed()).toList());
        }
    }

    @Test
    void aSweepFailsWhenSomeCutPointsBreakAnExpectationAndNamesTheirOperations() throws Exception {
        // holds without a cut, and at a cut before the install starts; not once a half-written slot
        // has to be abandoned or a trial resumed
        String text = libraryText(SWEEP).replace("expect:\n", "expect:\n  - {never: update.recovered, subject: app}\n");
        Scenario s = new ScenarioLoader().parse(SWEEP + ".yaml", text);
        ScenarioResult r = new CutSweep(new VirtualRig()).run(s, 1, work, Progress.SILENT);
        Sweep sweep = r.sweep().orElseThrow();
        assertFalse(r.passed());
        assertFalse(sweep.passed());
        assertTrue(sweep.recovered() > 0 && sweep.recovered() < sweep.points().size(), sweep.figure());
        Sweep.Point first = sweep.points().stream().filter(p -> !p.passed()).findFirst().orElseThrow();
        assertEquals(first.nth(), sweep.shown());
        assertFalse(r.grade().passed(), "the timeline shown is the first failing cut point's");
        assertTrue(first.operation().matches("(create|write|sync|rename|syncDirectory|createDirectories|deleteTree|setMode)"
                + " /sim/state/updates/.*"), first.operation());
        assertTrue(first.failed().get(0).startsWith("no update.recovered app"), first.failed().toString());
    }

    @Test
    void aCutAtTheNthUpdateWriteFallsJustBeforeThatOperation() throws Exception {
        String text = libraryText(SWEEP);
        Scenario sweep = new ScenarioLoader().parse(SWEEP + ".yaml", text);
        List<String> ops = new VirtualRig().countCutPoints(sweep, 1, work.resolve("uncut"), Progress.SILENT).operations();
        int n = 13;
        Scenario s = new ScenarioLoader().parse("cut.yaml", text.replace("at_write: every", "at_write: " + n));
        List<Disks> seen = new ArrayList<>();
        RunRecord run = new VirtualRig(Duration.ZERO, seen::add).run(s, 1, work.resolve("cut"), Progress.SILENT);

        assertTrue(run.notes().contains("power cut before " + ops.get(n - 1) + " (operation " + n + " in scope)"),
                run.notes().toString());
        assertTrue(run.injected().stream().anyMatch(i -> i.label().endsWith("at the 13th update write: before "
                + ops.get(n - 1))), run.injected().toString());
        List<String> performed = seen.get(0).slots().mutations().stream()
                .filter(m -> Path.of(m.substring(m.indexOf(' ') + 1)).startsWith(UPDATES)).toList();
        assertEquals(ops.subList(0, n - 1), performed.subList(0, n - 1), "the writes before the cut happened in order");
        assertNotEquals(ops.get(n - 1), performed.get(n - 1), "the cut operation did not happen before the boot");
        Grade g = new Grader().grade(s, run);
        assertTrue(g.passed(), g.verdicts().toString());
    }

    @Test
    void aCutArmedBeyondTheLastWriteIsAnErrorNamingItNotASilentRun() throws Exception {
        List<String> ops = new VirtualRig().countCutPoints(new ScenarioLoader().parse(SWEEP + ".yaml",
                libraryText(SWEEP)), 1, work.resolve("uncut"), Progress.SILENT).operations();
        Scenario s = new ScenarioLoader().parse("never.yaml", libraryText(SWEEP).replace("at_write: every",
                "at_write: " + (ops.size() + 1)));
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> new VirtualRig().run(s, 1, work.resolve("never"), Progress.SILENT));
        assertTrue(e.getMessage().contains("never tripped: the agent did not reach the " + (ops.size() + 1)
                + "th update write before the scenario's end (" + ops.size() + " in scope)"), e.getMessage());
    }

    @Test
    void theHardwareWatchdogBitesAHungAgentOnlyOnceKickingStopped() throws Exception {
        Scenario hung = new ScenarioLibrary().load("watchdog-bites-hung-agent");
        RunRecord run = new VirtualRig().run(hung, 1, work.resolve("hung"), Progress.SILENT);
        List<RunRecord.Injected> resets = run.injected().stream()
                .filter(i -> i.label().startsWith("reset: the hardware watchdog")).toList();
        assertEquals(1, resets.size(), run.injected().toString());
        // frozen at 4 s, the last kick at most 500 ms before: the bite 8 s after it, within a tick
        assertTrue(resets.get(0).at().compareTo(Duration.ofMillis(11_500)) >= 0
                && resets.get(0).at().compareTo(Duration.ofMillis(12_100)) <= 0, resets.toString());
        Grade g = new Grader().grade(hung, run);
        assertTrue(g.passed(), g.verdicts().toString());
        assertEquals("watchdog_reset", g.records().runs().get(1).previousStop().orElseThrow());

        Scenario cut = new ScenarioLibrary().load("power-cut-recovery");
        RunRecord other = new VirtualRig().run(cut, 1, work.resolve("cut"), Progress.SILENT);
        assertTrue(other.injected().stream().noneMatch(i -> i.label().startsWith("reset:")), other.injected().toString());
        assertEquals("power_loss", new Grader().grade(cut, other).records().runs().get(1).previousStop().orElseThrow());
    }
}
