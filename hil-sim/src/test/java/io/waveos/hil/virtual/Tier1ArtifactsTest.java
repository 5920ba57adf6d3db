package io.waveos.hil.virtual;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.hil.grading.Grade;
import io.waveos.hil.grading.Grader;
import io.waveos.hil.grading.Verdict;
import io.waveos.hil.rig.Progress;
import io.waveos.hil.rig.RunRecord;
import io.waveos.hil.runner.ScenarioLibrary;
import io.waveos.hil.scenario.Scenario;
import io.waveos.hil.scenario.ScenarioLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tier 1 and the agent's telemetry artifacts: expectations about evidence packs, policy decisions and
 * {@code metrics.csv} are decided from the files the agent wrote, and fail when those files say otherwise.
 */
class Tier1ArtifactsTest {
    @TempDir
    Path work;

    private static List<Boolean> outcomes(Grade g) {
        return g.verdicts().stream().map(Verdict::passed).toList();
    }

    @Test
    void withoutItsPolicyTheRateLimitAndBudgetExpectationsFail() throws Exception {
        String text = new String(ScenarioLibrary.class.getResourceAsStream("/scenarios/policy-rate-limit-and-budget.yaml")
                .readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        int from = text.indexOf("  policy: |");
        int to = text.indexOf("faults:");
        Scenario s = new ScenarioLoader().parse("no-policy.yaml", text.substring(0, from) + text.substring(to));
        Grade g = new Grader().grade(s, new VirtualRig().run(s, 1, work, Progress.SILENT));
        // loaded, restart holds, at most 5 starts, budget warn, budget restart fail; the leak still reaches
        // 56 MiB, but with no budget it runs on past 78 MiB into the heap's end (exit 3); web restarts after it
        assertEquals(List.of(false, false, false, false, false, true, false, false, true, true), outcomes(g),
                g.verdicts().toString());
    }

    @Test
    void theBudgetRestartsTheLeakerBeforeItsHeapRunsOut() throws Exception {
        Scenario s = new ScenarioLibrary().load("policy-rate-limit-and-budget");
        Grade g = new Grader().grade(s, new VirtualRig().run(s, 1, work, Progress.SILENT));
        assertTrue(g.passed(), g.verdicts().toString());
        double max = g.artifacts().series("service:web:rss_bytes").stream().mapToDouble(r -> r.value()).max()
                .orElseThrow();
        assertTrue(max >= 56 << 20 && max < 78 << 20, "max rss " + max);
        assertTrue(g.figures().get("policy decisions").contains("web-budget budget_restart fired: 1"), g.figures()
                .toString());
    }

    @Test
    void aPackWhoseBytesWereChangedDoesNotCountAndIsNamedRefused() throws Exception {
        Scenario s = new ScenarioLibrary().load("telemetry-every-interval");
        RunRecord run = new VirtualRig().run(s, 1, work, Progress.SILENT);
        assertTrue(new Grader().grade(s, run).passed());
        List<Path> packs;
        try (Stream<Path> l = Files.list(run.logs().resolve("evidence"))) {
            packs = l.sorted().toList();
        }
        assertEquals(2, packs.size(), packs.toString());
        for (Path p : packs) {
            byte[] b = Files.readAllBytes(p);
            b[b.length / 2] ^= 1;
            Files.write(p, b);
        }
        Grade g = new Grader().grade(s, run);
        Verdict pack = g.verdicts().stream().filter(v -> v.expectation().text().contains("evidence pack")).findFirst()
                .orElseThrow();
        assertFalse(pack.passed());
        assertTrue(pack.observed().contains("REFUSED"), pack.observed());
    }

    @Test
    void metricExpectationsAreDecidedFromTheRowsTheAgentWrote() throws Exception {
        Scenario s = new ScenarioLoader().parse("m.yaml", "title: t\nduration: 10s\ntiers: [1]\ndevice:\n  services:\n"
                + "    - name: web\n  telemetry: {sample_interval: 1s, write_interval: 2s}\nfaults:\n"
                + "  - {at: 2s, service: web, do: leak, rate: 2MiB}\n  - {at: 3s, service: web, do: spin}\nexpect:\n"
                + "  - {metric: \"service:web:rss_bytes\", reaches: 44MiB}\n"
                + "  - {metric: \"service:web:rss_bytes\", reaches: 60MiB}\n"
                + "  - {metric: \"service:web:rss_bytes\", stays_below: 37MiB, between: [0s, 2s]}\n"
                + "  - {metric: \"service:web:rss_bytes\", stays_below: 40MiB}\n"
                + "  - {metric: \"service:web:cpu_permille\", reaches: 900, between: [4s, 10s]}\n"
                + "  - {metric: \"service:web:cpu_permille\", reaches: 1, between: [0s, 3s]}\n"
                + "  - {metric: \"service:web:up\", sampled_every: 1s, between: [1s, 9s]}\n"
                + "  - {metric: \"service:web:up\", sampled_every: 500ms, between: [1s, 9s]}\n"
                + "  - {metric: \"service:nosuch:up\", reaches: 0}\n");
        Grade g = new Grader().grade(s, new VirtualRig().run(s, 1, work, Progress.SILENT));
        assertEquals(List.of(true, false, true, false, true, false, true, false, false), outcomes(g),
                g.verdicts().toString());
    }

    @Test
    void aWallClockStepMovesTheStampsButGradingPutsThemBackOnTheScenariosLine() throws Exception {
        Scenario s = new ScenarioLibrary().load("clock-jump");
        RunRecord run = new VirtualRig().run(s, 1, work, Progress.SILENT);
        Grade g = new Grader().grade(s, run);
        assertTrue(g.passed(), g.verdicts().toString());
        String events = Files.readString(Files.list(run.logs().resolve("runs")).findFirst().orElseThrow()
                .resolve("events.jsonl"));
        assertTrue(events.contains("\"time\":\"2026-01-02T00:00:0"), "stamps a day ahead between the steps");
        RunRecord uncalibrated = new RunRecord(run.scenario(), run.tier(), run.seed(), run.work(), run.logs(),
                run.origin(), run.end(), run.injected(), run.finalRunning(), run.evidence(), run.notes(), List.of());
        assertFalse(new Grader().grade(s, uncalibrated).passed(), "without the bench's calibration the windows miss");
    }

    @Test
    void aFullDiskDelaysTheEventsButLosesNone() throws Exception {
        Scenario s = new ScenarioLibrary().load("disk-full");
        Grade g = new Grader().grade(s, new VirtualRig().run(s, 1, work, Progress.SILENT));
        assertTrue(g.passed(), g.verdicts().toString());
        List<Long> seqs = g.records().runs().get(0).events().stream().map(e -> e.seq()).toList();
        for (int i = 0; i < seqs.size(); i++) {
            assertEquals(i + 1, seqs.get(i), "no gap in the event sequence");
        }
    }
}
