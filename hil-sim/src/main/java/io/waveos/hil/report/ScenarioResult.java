package io.waveos.hil.report;

import io.waveos.hil.grading.Grade;
import io.waveos.hil.rig.RunRecord;
import io.waveos.hil.scenario.Expectation;
import io.waveos.hil.scenario.FaultKind;
import io.waveos.hil.scenario.Scenario;
import java.time.Duration;
import java.util.Optional;

/**
 * One scenario run and its grade, and how long the run took on the wall clock. For a sweep
 * ({@code at_write: every}) {@code run} and {@code grade} are those of the cut point shown, and
 * {@code sweep} holds every cut point's outcome.
 */
public record ScenarioResult(Scenario scenario, RunRecord run, Grade grade, Duration wallTime,
        Optional<Sweep> sweep) {
    public ScenarioResult {
        java.util.Objects.requireNonNull(sweep, "sweep");
    }

    public ScenarioResult(Scenario scenario, RunRecord run, Grade grade, Duration wallTime) {
        this(scenario, run, grade, wallTime, Optional.empty());
    }

    /** The run passed (a sweep: every cut point passed). */
    public boolean passed() {
        return grade.passed() && sweep.map(Sweep::passed).orElse(true);
    }

    /**
     * The one figure the demo's summary shows: for a sweep the recovered cut points; else the one the
     * scenario's expectations are about (restart latency, the API's decisions, the spool's drops, the
     * lead time, updates, policy decisions, evidence packs, then availability), else the recovery of the
     * last agent run, else the final mode.
     */
    public String keyFigure() {
        if (sweep.isPresent()) {
            return sweep.get().figure();
        }
        for (Expectation e : scenario.expectations()) {
            if (e instanceof Expectation.RestartLatency r) {
                return figure("restart latency " + r.service());
            }
        }
        String api = grade.figures().get("API requests");
        if (api != null && scenario.expectations().stream().anyMatch(e -> e instanceof Expectation.ApiAudit)) {
            return "API requests " + api + java.util.Optional.ofNullable(grade.figures().get("updates"))
                    .map(u -> "; updates: " + u).orElse("");
        }
        String spool = grade.figures().get("spool");
        if (spool != null && scenario.expectations().stream().anyMatch(e -> e instanceof Expectation.Log
                || e instanceof Expectation.SpoolWithin)) {
            return "spool: " + spool;
        }
        String lead = grade.figures().get("lead time");
        if (lead != null) {
            return "lead time " + lead;
        }
        String updates = grade.figures().get("updates");
        if (updates != null) {
            return "updates: " + updates;
        }
        String decisions = grade.figures().get("policy decisions");
        if (decisions != null) {
            return "policy: " + decisions;
        }
        String packs = grade.figures().get("evidence packs");
        if (packs != null && scenario.expectations().stream().anyMatch(e -> e instanceof Expectation.EvidencePack)) {
            return "evidence packs " + packs + ", " + grade.figures().getOrDefault("metrics.csv", "no metrics.csv");
        }
        String denied = grade.figures().get("guardian denied");
        if (denied != null) {
            return "Guardian denied " + denied;
        }
        boolean rebootsItself = scenario.faults().stream().anyMatch(f -> f.kind() == FaultKind.POWER_CUT
                || f.kind() == FaultKind.KILL_AGENT);
        for (Expectation e : scenario.expectations()) {
            if (e instanceof Expectation.Availability a && !rebootsItself) {
                return figure("availability " + a.service());
            }
        }
        String recovery = grade.figures().get("recovery");
        if (recovery != null && grade.records().runs().size() > 1) {
            return "recovery: " + recovery;
        }
        String failure = grade.figures().get("first failure");
        if (failure != null && "NORMAL".equals(grade.timeline().finalMode())) {
            return "first failure at " + failure;
        }
        return "final mode " + grade.timeline().finalMode();
    }

    private String figure(String name) {
        return name + ": " + grade.figures().getOrDefault(name, "none");
    }
}
