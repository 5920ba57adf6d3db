package io.waveos.hil.runner;

import io.waveos.hil.grading.Grade;
import io.waveos.hil.grading.Grader;
import io.waveos.hil.report.ScenarioResult;
import io.waveos.hil.report.Sweep;
import io.waveos.hil.rig.Progress;
import io.waveos.hil.rig.RunRecord;
import io.waveos.hil.scenario.CutPoint;
import io.waveos.hil.scenario.Fault;
import io.waveos.hil.scenario.Scenario;
import io.waveos.hil.virtual.VirtualRig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;

/**
 * A sweep ({@code at_write: every}, tier 1): the scenario first runs without its cut, counting the K
 * operations in the cut point's scope from its {@code at} to the end; then once per cut point 1..K,
 * the power going just before that operation, each a full run graded on its own from the agent's
 * records. It passes only if every cut point passes. The report keeps the timeline of the first
 * failing cut point (else of the middle one) and the folders of the failing ones and of the one shown.
 */
public final class CutSweep {
    private final VirtualRig rig;

    public CutSweep(VirtualRig rig) {
        this.rig = rig;
    }

    /** Whether {@code s} sweeps (one of its power cuts falls at every write in turn). */
    public static boolean sweeps(Scenario s) {
        return s.faults().stream().anyMatch(f -> f.cut().filter(CutPoint::sweep).isPresent());
    }

    /**
     * Runs the sweep in {@code work} (one folder per cut point); {@code progress} hears each failing
     * cut point, and the share of cut points done as a share of the scenario's duration.
     */
    public ScenarioResult run(Scenario s, long seed, Path work, Progress progress) throws IOException {
        long t0 = System.nanoTime();
        Fault sweep = s.faults().stream().filter(f -> f.cut().filter(CutPoint::sweep).isPresent()).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(s.name() + " does not sweep"));
        VirtualRig.CutPoints count = rig.countCutPoints(s, seed, work.resolve("uncut"), Progress.SILENT);
        List<String> ops = count.operations();
        List<Sweep.Point> points = new ArrayList<>();
        List<Ran> kept = new ArrayList<>();
        for (int n = 1; n <= ops.size(); n++) {
            Scenario cut = at(s, sweep, n);
            Path dir = work.resolve(String.format("cut-%03d", n));
            RunRecord run = rig.run(cut, seed, dir, Progress.SILENT);
            Grade g = new Grader().grade(cut, run);
            List<String> failed = g.verdicts().stream().filter(v -> !v.passed())
                    .map(v -> v.expectation().text() + " (observed " + v.observed() + ")").toList();
            boolean passed = g.passed();
            points.add(new Sweep.Point(n, ops.get(n - 1), passed, passed || !failed.isEmpty() ? failed
                    : List.of("the agent left no run records")));
            kept.add(new Ran(cut, run, g));
            if (!passed) {
                progress.note(String.format("cut point %d/%d, before %s: FAILED", n, ops.size(), ops.get(n - 1)));
            }
            progress.at(s.duration().multipliedBy(n).dividedBy(ops.size()));
        }
        int shown = points.stream().filter(p -> !p.passed()).map(Sweep.Point::nth).findFirst()
                .orElse(Math.max(1, (ops.size() + 1) / 2));
        for (Sweep.Point p : points) {
            if (p.passed() && p.nth() != shown) {
                deleteTree(work.resolve(String.format("cut-%03d", p.nth())));
            }
        }
        Sweep outcome = new Sweep(sweep.cut().orElseThrow().label().replace("every ", ""), shown, points);
        Duration wall = Duration.ofNanos(System.nanoTime() - t0);
        if (ops.isEmpty()) {
            return new ScenarioResult(s, count.run(), new Grader().grade(s, count.run()), wall, Optional.of(outcome));
        }
        Ran r = kept.get(shown - 1);
        return new ScenarioResult(r.scenario(), r.run(), r.grade(), wall, Optional.of(outcome));
    }

    private record Ran(Scenario scenario, RunRecord run, Grade grade) {
    }

    /** {@code s} with its sweep replaced by a cut just before the {@code n}th operation in the same scope. */
    static Scenario at(Scenario s, Fault sweep, int n) {
        CutPoint point = new CutPoint(sweep.cut().orElseThrow().scope(), OptionalInt.of(n));
        List<Fault> faults = s.faults().stream().map(f -> f != sweep ? f : new Fault(f.at(), f.kind(), f.service(),
                f.action(), f.everyStart(), f.length(), f.argument(), Optional.of(point), f.line())).toList();
        return new Scenario(s.name(), s.title(), s.story(), s.tiers(), s.duration(), s.seed(), s.device(), s.guardian(),
                faults, s.expectations(), s.source());
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> all = Files.walk(p)) {
            for (Path x : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
