package io.waveos.hil.virtual;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.hil.grading.Grade;
import io.waveos.hil.grading.Grader;
import io.waveos.hil.grading.Verdict;
import io.waveos.hil.rig.Progress;
import io.waveos.hil.runner.ScenarioLibrary;
import io.waveos.hil.scenario.Scenario;
import io.waveos.hil.scenario.ScenarioLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tier 1 with the reference Guardian over a simulated wire: its decisions reach the agent's records,
 * and without them the same expectations fail.
 */
class Tier1GuardianTest {
    @TempDir
    Path work;

    private static String library(String name) throws Exception {
        return new String(ScenarioLibrary.class.getResourceAsStream("/scenarios/" + name + ".yaml").readAllBytes(),
                StandardCharsets.UTF_8);
    }

    private Grade run(Scenario s, long seed) throws Exception {
        return new Grader().grade(s, new VirtualRig().run(s, seed, work.resolve("seed-" + seed), Progress.SILENT));
    }

    @Test
    void withoutTheDenyPatternTheRebootIsDeniedByAnotherRuleAndTheExpectationNamingThePatternFails() throws Exception {
        String text = library("guardian-blocks-trigger-command");
        String noRule = text.substring(0, text.indexOf("  rules:")) + text.substring(text.indexOf("faults:"));
        Grade g = run(new ScenarioLoader().parse("no-rule.yaml", noRule), 1);
        List<Boolean> outcomes = g.verdicts().stream().map(Verdict::passed).toList();
        // link up, SAFE and the request hold; the denial by the pattern does not: the Guardian's built-in
        // rule (a risky command while the device is degraded) denies it instead
        assertEquals(List.of(true, true, true, false, true, true), outcomes.subList(0, 6), g.verdicts().toString());
        assertTrue(g.records().events().stream().anyMatch(e -> e.code().equals("companion.approval_decided")
                && e.reason().contains("deny-risky-while-degraded")), "the Guardian's own rule decided");
    }

    @Test
    void aLinkCutPowersTheBoardOffAndItBootsAgainAsANewGuardianRun() throws Exception {
        Scenario s = new ScenarioLibrary().load("link-loss-fail-open");
        Grade g = run(s, 1);
        assertTrue(g.passed(), g.verdicts().toString());
        assertTrue(g.records().events().stream().noneMatch(e -> e.code().equals("companion.reset_witness")),
                "a Guardian that lost power resets nobody");
    }

    @Test
    void heavySerialNoiseLosesTheLinkButNeverResetsTheDeviceAcrossSeeds() throws Exception {
        Scenario s = new ScenarioLibrary().load("serial-noise");
        for (long seed = 1; seed <= 50; seed++) {
            Grade g = run(s, seed);
            assertTrue(g.passed(), "seed " + seed + ": " + g.verdicts().stream().filter(v -> !v.passed()).toList());
        }
    }

    @Test
    void withoutTheGuardianTheLeakRunsIntoTheFailureInTierOneToo() throws Exception {
        Grade with = run(new ScenarioLibrary().load("guardian-memory-leak-trend"), 1);
        Grade without = run(new ScenarioLibrary().load("memory-leak-without-guardian"), 1);
        assertTrue(with.passed(), with.verdicts().toString());
        assertTrue(without.passed(), without.verdicts().toString());
        assertTrue(with.records().events().stream().anyMatch(e -> e.code().equals("companion.safe_mode_order")));
        assertTrue(without.records().events().stream().anyMatch(e -> e.code().equals("service.exited")
                && "3".equals(e.fields().get("exit_code"))), "the leaker's heap ran out");
    }
}
