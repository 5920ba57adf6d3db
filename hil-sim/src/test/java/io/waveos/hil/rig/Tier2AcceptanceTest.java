package io.waveos.hil.rig;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.fixture.ProcTable;
import io.waveos.hil.grading.Grade;
import io.waveos.hil.grading.Grader;
import io.waveos.hil.runner.ScenarioLibrary;
import io.waveos.hil.scenario.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tier 2 acceptance on real processes: the agent JVM, fake-service processes, the power controller,
 * the fake watchdog and the Guardian's own JVM over a socat PTY pair (TCP without socat). Each scenario
 * runs for its own (bounded) duration; afterwards no process of the device is left.
 */
class Tier2AcceptanceTest {
    @TempDir
    Path work;

    @ParameterizedTest
    @ValueSource(strings = {"restart-after-crash", "agent-crash-only-restart", "power-cut-recovery",
            "guardian-resets-hung-agent", "update-commit-then-rollback", "guardian-memory-leak-trend",
            "policy-rate-limit-and-budget", "update-power-cut-mid-install", "log-flood-spool-capped",
            "api-push-under-abuse"})
    void acceptanceScenarioPassesOnRealProcesses(String name) throws Exception {
        Scenario s = new ScenarioLibrary().load(name);
        RunRecord run = ProcessRig.onOwnClassPath().run(s, 1, work, Progress.SILENT);
        Grade g = new Grader().grade(s, run);
        assertTrue(g.passed(), g.verdicts().stream().filter(v -> !v.passed()).map(v -> v.expectation().text()
                + " (observed " + v.observed() + ")").toList() + "\nwork: " + work);
        String marker = Files.readString(work.resolve("state/instance_id")).trim();
        assertTrue(ProcTable.marked(marker).isEmpty(), "left behind: " + ProcTable.marked(marker));
    }
}
