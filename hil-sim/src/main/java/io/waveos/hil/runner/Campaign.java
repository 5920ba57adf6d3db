package io.waveos.hil.runner;

import io.waveos.hil.grading.Grade;
import io.waveos.hil.grading.Grader;
import io.waveos.hil.report.HtmlReport;
import io.waveos.hil.report.JunitXml;
import io.waveos.hil.report.ScenarioResult;
import io.waveos.hil.rig.Progress;
import io.waveos.hil.rig.Rig;
import io.waveos.hil.rig.RunRecord;
import io.waveos.hil.scenario.Scenario;
import io.waveos.hil.virtual.VirtualRig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs scenarios one after the other on one rig, grades each from the agent's records, and writes the
 * report and the JUnit XML into {@code reportDir} (each scenario's device lives in a sub-folder). A
 * sweep ({@code at_write: every}, tier 1) runs as a {@link CutSweep}.
 */
public final class Campaign {
    private final Rig rig;
    private final int tier;
    private final PrintStream out;
    private final boolean live;

    /** @param live rewrite one progress line in place (a terminal); otherwise print notes only */
    public Campaign(Rig rig, int tier, PrintStream out, boolean live) {
        this.rig = rig;
        this.tier = tier;
        this.out = out;
        this.live = live;
    }

    /** The results and where the report went. */
    public record Outcome(List<ScenarioResult> results, Path report, Path junit) {
        public boolean passed() {
            return results.stream().allMatch(ScenarioResult::passed);
        }
    }

    public Outcome run(List<Scenario> scenarios, long seed, Path reportDir, String title)
            throws IOException, InterruptedException {
        Files.createDirectories(reportDir);
        List<ScenarioResult> results = new ArrayList<>();
        int i = 0;
        for (Scenario s : scenarios) {
            i++;
            String prefix = "[" + i + "/" + scenarios.size() + "] " + s.name();
            out.println(prefix + ": " + s.title());
            ScenarioResult r = CutSweep.sweeps(s) && rig instanceof VirtualRig v
                    ? new CutSweep(v).run(s, seed, reportDir.resolve(s.name()), progress(prefix, s.duration()))
                    : once(s, seed, reportDir.resolve(s.name()), progress(prefix, s.duration()));
            Grade grade = r.grade();
            Duration wall = r.wallTime();
            results.add(r);
            if (live) {
                out.print("\r\033[K");
            }
            out.printf("    %s  %s  (%.1f s)%n", r.passed() ? "PASS" : "FAIL", r.keyFigure(), wall.toMillis() / 1000.0);
            grade.verdicts().stream().filter(v -> !v.passed()).forEach(v -> out.println("      failed: "
                    + v.expectation().text() + " (observed " + v.observed() + ")"));
        }
        Path report = HtmlReport.write(reportDir, "WaveOS HIL report, tier " + tier + ": " + title, results);
        Path junit = JunitXml.write(reportDir, "waveos-hil-tier" + tier, results);
        return new Outcome(results, report, junit);
    }

    private ScenarioResult once(Scenario s, long seed, Path work, Progress progress)
            throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        RunRecord run = rig.run(s, seed, work, progress);
        Grade grade = new Grader().grade(s, run);
        return new ScenarioResult(s, run, grade, Duration.ofNanos(System.nanoTime() - t0));
    }

    private Progress progress(String prefix, Duration total) {
        return new Progress() {
            private long lastSecond = -1;

            @Override
            public void note(String line) {
                if (live) {
                    out.print("\r\033[K");
                }
                out.println("    " + line);
            }

            @Override
            public void at(Duration t) {
                if (live && t.toSeconds() != lastSecond) {
                    lastSecond = t.toSeconds();
                    out.printf("\r\033[K    %s  %d / %d s", prefix, t.toSeconds(), total.toSeconds());
                    out.flush();
                }
            }
        };
    }
}
