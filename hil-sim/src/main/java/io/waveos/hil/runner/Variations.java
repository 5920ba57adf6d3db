package io.waveos.hil.runner;

import io.waveos.hil.report.ScenarioResult;
import io.waveos.hil.grading.Grader;
import io.waveos.hil.rig.Progress;
import io.waveos.hil.rig.RunRecord;
import io.waveos.hil.scenario.Scenario;
import io.waveos.hil.virtual.VirtualRig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Seeded variations in tier 1: each scenario runs {@code count} times with seeds {@code seed..seed+count-1},
 * every fault moved by up to {@link #JITTER} per seed; a failing seed is printed so it can be re-run
 * with {@code --seed}. A sweep ({@code at_write: every}) runs every cut point for each seed. Only failing
 * runs keep their folders' content meaningful; all go under one folder.
 */
final class Variations {
    static final Duration JITTER = Duration.ofMillis(400);
    private final PrintStream out;

    Variations(PrintStream out) {
        this.out = out;
    }

    boolean run(Iterable<Scenario> scenarios, long seed, int count, Path dir) throws IOException {
        boolean all = true;
        VirtualRig rig = new VirtualRig(JITTER);
        for (Scenario s : scenarios) {
            int failed = 0;
            long t0 = System.nanoTime();
            for (int i = 0; i < count; i++) {
                long sd = seed + i;
                Path work = dir.resolve(s.name()).resolve("seed-" + sd);
                ScenarioResult r = CutSweep.sweeps(s) ? new CutSweep(rig).run(s, sd, work, Progress.SILENT)
                        : graded(rig, s, sd, work);
                if (!r.passed()) {
                    failed++;
                    if (failed <= 3) {
                        out.println("  " + s.name() + " seed " + sd + " FAILED: " + r.sweep().map(sw -> sw.figure()
                                + ", first failing at cut point " + sw.shown() + ": ").orElse("") + r.grade().verdicts()
                                .stream().filter(v -> !v.passed()).map(v -> v.expectation().text() + " (observed "
                                        + v.observed() + ")").toList());
                    }
                } else {
                    deleteTree(work);
                }
            }
            all &= failed == 0;
            out.printf("%-28s %d variations, %d failed, %.1f s%n", s.name(), count, failed,
                    (System.nanoTime() - t0) / 1e9);
        }
        return all;
    }

    private static ScenarioResult graded(VirtualRig rig, Scenario s, long seed, Path work) throws IOException {
        long t0 = System.nanoTime();
        RunRecord run = rig.run(s, seed, work, Progress.SILENT);
        return new ScenarioResult(s, run, new Grader().grade(s, run), java.time.Duration.ofNanos(System.nanoTime() - t0));
    }

    private static void deleteTree(Path p) throws IOException {
        if (!java.nio.file.Files.exists(p)) {
            return;
        }
        try (var s = java.nio.file.Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.delete(x);
            }
        }
    }
}
