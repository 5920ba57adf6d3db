package io.waveos.hil.virtual;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.hil.grading.Grade;
import io.waveos.hil.grading.Grader;
import io.waveos.hil.grading.Verdict;
import io.waveos.hil.rig.Progress;
import io.waveos.hil.rig.RunRecord;
import io.waveos.hil.runner.CutSweep;
import io.waveos.hil.runner.ScenarioLibrary;
import io.waveos.hil.scenario.Scenario;
import io.waveos.hil.scenario.ScenarioLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Tier 1: the library's scenarios on the real agent in virtual time, graded from its records. */
class Tier1ScenariosTest {
    /** Seeded variations per scenario in {@code mvn verify}; {@code waveos hil run --tier 1 --variations N} runs more. */
    static final int VARIATIONS = 100;
    @TempDir
    Path work;

    /** Tier-1 scenarios of one run each (a sweep is many: {@link Tier1CutsTest}). */
    static Stream<String> tier1Scenarios() throws Exception {
        return new ScenarioLibrary().all().stream().filter(s -> s.tiers().contains(1) && !CutSweep.sweeps(s))
                .map(Scenario::name);
    }

    private static String failures(Grade g) {
        return g.verdicts().stream().filter(v -> !v.passed()).map(v -> v.expectation().text() + " (observed "
                + v.observed() + ")").toList().toString();
    }

    @ParameterizedTest
    @MethodSource("tier1Scenarios")
    void libraryScenarioPassesInVirtualTime(String name) throws Exception {
        Scenario s = new ScenarioLibrary().load(name);
        RunRecord run = new VirtualRig().run(s, 1, work, Progress.SILENT);
        Grade g = new Grader().grade(s, run);
        assertTrue(g.passed(), failures(g));
    }

    @ParameterizedTest
    @MethodSource("tier1Scenarios")
    void libraryScenarioPassesUnderSeededFaultJitter(String name) throws Exception {
        Scenario s = new ScenarioLibrary().load(name);
        VirtualRig rig = new VirtualRig(Duration.ofMillis(400));
        for (long seed = 1; seed <= VARIATIONS; seed++) {
            Path dir = work.resolve("seed-" + seed);
            Grade g = new Grader().grade(s, rig.run(s, seed, dir, Progress.SILENT));
            assertTrue(g.passed(), "seed " + seed + ": " + failures(g));
        }
    }

    @ParameterizedTest
    @MethodSource("replayed")
    void aSeedReplaysToTheSameBytes(String name, int runs) throws Exception {
        Scenario s = new ScenarioLibrary().load(name);
        RunRecord a = new VirtualRig(Duration.ofMillis(400)).run(s, 42, work.resolve("a"), Progress.SILENT);
        RunRecord b = new VirtualRig(Duration.ofMillis(400)).run(s, 42, work.resolve("b"), Progress.SILENT);
        List<Path> runsA;
        try (Stream<Path> l = Files.list(a.logs().resolve("runs"))) {
            runsA = l.sorted().toList();
        }
        assertEquals(runs, runsA.size());
        for (Path r : runsA) {
            Path other = b.logs().resolve("runs").resolve(r.getFileName()).resolve("events.jsonl");
            assertArrayEquals(Files.readAllBytes(r.resolve("events.jsonl")), Files.readAllBytes(other));
        }
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> replayed() {
        return Stream.of(org.junit.jupiter.params.provider.Arguments.of("agent-crash-only-restart", 2),
                org.junit.jupiter.params.provider.Arguments.of("update-power-cut-during-trial", 2),
                org.junit.jupiter.params.provider.Arguments.of("watchdog-bites-hung-agent", 2));
    }

    @Test
    void expectationsThatDoNotHoldFail() throws Exception {
        Scenario s = new ScenarioLoader().parse("wrong.yaml", "title: t\nduration: 8s\ntiers: [1]\ndevice:\n"
                + "  services:\n    - name: sensor\nfaults:\n  - {at: 2s, service: sensor, do: crash}\nexpect:\n"
                + "  - {never: service.exited, subject: sensor}\n  - {final_mode: SAFE}\n  - {runs: 2}\n"
                + "  - {not_running: [sensor]}\n  - {event: service.exited, subject: sensor, between: [3s, 8s]}\n"
                + "  - {availability: sensor, at_least: 1.0}\n  - {previous_stop: agent_crash, run: 1}\n"
                + "  - {restart_latency: sensor, at_most: 0ms}\n");
        Grade g = new Grader().grade(s, new VirtualRig().run(s, 1, work, Progress.SILENT));
        assertFalse(g.passed());
        List<Boolean> outcomes = g.verdicts().stream().map(Verdict::passed).toList();
        // in virtual time a restart with no backoff costs no time: availability 1.0 holds, as does the
        // last expectation; every other one is false of what the agent did
        assertEquals(List.of(false, false, false, false, false, true, false, true), outcomes,
                g.verdicts().toString());
    }

    @Test
    void aPowerCutLosesWhatTheAgentHadNotSynced() throws Exception {
        Scenario s = new ScenarioLibrary().load("power-cut-recovery");
        RunRecord run = new VirtualRig().run(s, 1, work, Progress.SILENT);
        Grade g = new Grader().grade(s, run);
        // the first run's log ends at its last fsync: routine events of the last second are gone
        long lastOfRun1 = g.records().runs().get(0).events().get(g.records().runs().get(0).events().size() - 1)
                .time().toEpochMilli() - VirtualRig.ORIGIN.toEpochMilli();
        assertTrue(lastOfRun1 <= 5000, "run 1's last surviving event at " + lastOfRun1 + " ms");
        assertTrue(g.passed(), failures(g));
    }
}
