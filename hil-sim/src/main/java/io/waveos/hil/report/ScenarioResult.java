package io.waveos.hil.report;

import io.waveos.hil.grading.Grade;
import io.waveos.hil.rig.RunRecord;
import io.waveos.hil.scenario.Scenario;
import java.time.Duration;

/** One scenario run and its grade, and how long the run took on the wall clock. */
public record ScenarioResult(Scenario scenario, RunRecord run, Grade grade, Duration wallTime) {
    /** The one figure the demo's summary shows for this scenario. */
    public String keyFigure() {
        for (String k : new String[] {"lead time", "availability", "restart latency", "recovered cut points"}) {
            for (var e : grade.figures().entrySet()) {
                if (e.getKey().startsWith(k) && !e.getValue().startsWith("0.0 %")) {
                    return e.getKey() + ": " + e.getValue();
                }
            }
        }
        return "final mode " + grade.timeline().finalMode();
    }
}
