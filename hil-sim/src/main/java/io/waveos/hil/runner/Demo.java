package io.waveos.hil.runner;

import io.waveos.hil.report.ScenarioResult;
import io.waveos.hil.rig.ProcessRig;
import io.waveos.hil.scenario.Scenario;
import io.waveos.hil.scenario.ScenarioException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code waveos demo}: a curated, narrated subset of the library on real processes (tier 2), a live
 * progress line, a summary table (scenario, outcome, key figure) and the report's path. Sized to
 * finish in about three minutes on two cores.
 */
public final class Demo {
    /** The demo's scenarios, in the order they tell the story. */
    static final List<String> CURATED = List.of("restart-after-crash", "crash-loop-escalation",
            "agent-crash-only-restart", "power-cut-recovery", "update-commit-then-rollback",
            "guardian-memory-leak-trend", "guardian-resets-hung-agent", "guardian-blocks-trigger-command",
            "policy-rate-limit-and-budget");
    private final PrintStream out;
    private final Path reportDir;

    public Demo(PrintStream out, Path reportDir) {
        this.out = out;
        this.reportDir = reportDir;
    }

    public int run() throws IOException, InterruptedException {
        ScenarioLibrary library = new ScenarioLibrary();
        List<Scenario> scenarios = new ArrayList<>();
        try {
            for (String n : CURATED) {
                if (library.names().contains(n)) {
                    scenarios.add(library.load(n));
                }
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
        Campaign.Outcome o = new Campaign(ProcessRig.onOwnClassPath(), 2, out, System.console() != null)
                .run(scenarios, 1, reportDir, "demo");
        out.println();
        out.printf("%-32s %-8s %s%n", "scenario", "outcome", "key figure");
        for (ScenarioResult r : o.results()) {
            out.printf("%-32s %-8s %s%n", r.scenario().name(), r.grade().passed() ? "PASS" : "FAIL", r.keyFigure());
        }
        out.println("\nreport: " + o.report());
        return o.passed() ? 0 : 1;
    }
}
