package io.waveos.hil.runner;

import io.waveos.hil.report.HtmlReport;
import io.waveos.hil.report.JunitXml;
import io.waveos.hil.report.ScenarioResult;
import io.waveos.hil.rig.ProcessRig;
import io.waveos.hil.scenario.Scenario;
import io.waveos.hil.scenario.ScenarioException;
import io.waveos.hil.virtual.VirtualRig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code waveos demo}: a curated, narrated subset of the library on real processes (tier 2), then one
 * tier-1 sweep (the power cut before every write of an update, seconds in virtual time), a live
 * progress line, a summary table (scenario, tier, outcome, key figure) and the report's path (one
 * report of both). Sized to finish in about three minutes on two cores.
 */
public final class Demo {
    /** The demo's scenarios, in the order they tell the story. */
    static final List<String> CURATED = List.of("restart-after-crash", "crash-loop-escalation",
            "agent-crash-only-restart", "power-cut-recovery", "update-commit-then-rollback",
            "guardian-memory-leak-trend", "guardian-resets-hung-agent", "guardian-blocks-trigger-command",
            "policy-rate-limit-and-budget");
    /** The final step, in tier 1: the same agent code in virtual time, one run per install write (seconds). */
    static final String SWEEP = "update-power-cut-every-install-write";
    private final PrintStream out;
    private final Path reportDir;

    public Demo(PrintStream out, Path reportDir) {
        this.out = out;
        this.reportDir = reportDir;
    }

    public int run() throws IOException, InterruptedException {
        ScenarioLibrary library = new ScenarioLibrary();
        List<Scenario> scenarios = new ArrayList<>();
        List<Scenario> sweep = new ArrayList<>();
        try {
            for (String n : CURATED) {
                if (library.names().contains(n)) {
                    scenarios.add(library.load(n));
                }
            }
            if (library.names().contains(SWEEP)) {
                sweep.add(library.load(SWEEP));
            }
        } catch (ScenarioException e) {
            out.println(e.getMessage());
            return 2;
        }
        out.println("WaveOS demo: the real agent JVM supervising fake services that crash, loop and hang;");
        out.println("kill -9 of the agent, a power cut, and a Guardian that resets a hung device.");
        out.println("Every verdict is read from the agent's own event logs and the process table.\n");
        for (Scenario s : scenarios) {
            out.println("  " + s.name() + ": " + s.story());
        }
        out.println();
        for (Scenario s : sweep) {
            out.println("  " + s.name() + " (tier 1: the same agent code in virtual time, one run per write): "
                    + s.story());
        }
        out.println();
        Campaign.Outcome o = new Campaign(ProcessRig.onOwnClassPath(), 2, out, System.console() != null)
                .run(scenarios, 1, reportDir, "demo");
        List<ScenarioResult> all = new ArrayList<>(o.results());
        if (!sweep.isEmpty()) {
            out.println("\nFinally, in tier 1: the same agent code in virtual time, the power cut before every write"
                    + " of an update in turn.");
            all.addAll(new Campaign(new VirtualRig(), 1, out, System.console() != null)
                    .run(sweep, 1, reportDir.resolve("tier1"), "demo, tier 1").results());
        }
        Path report = HtmlReport.write(reportDir, "WaveOS HIL report: demo (tier 2, then tier 1)", all);
        JunitXml.write(reportDir, "waveos-hil-demo", all);
        out.println();
        out.printf("%-36s %-5s %-8s %s%n", "scenario", "tier", "outcome", "key figure");
        for (ScenarioResult r : all) {
            out.printf("%-36s %-5d %-8s %s%n", r.scenario().name(), r.run().tier(), r.passed() ? "PASS" : "FAIL",
                    r.keyFigure());
        }
        out.println("\nreport: " + report);
        return all.stream().allMatch(ScenarioResult::passed) ? 0 : 1;
    }
}
