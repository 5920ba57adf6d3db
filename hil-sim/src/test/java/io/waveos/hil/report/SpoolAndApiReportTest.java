package io.waveos.hil.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.hil.grading.AgentRecords;
import io.waveos.hil.grading.DeviceArtifacts;
import io.waveos.hil.grading.Grade;
import io.waveos.hil.grading.Timeline;
import io.waveos.hil.grading.Verdict;
import io.waveos.hil.rig.RunRecord;
import io.waveos.hil.scenario.Scenario;
import io.waveos.hil.scenario.ScenarioLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report shows the spool and API expectations like any other, and their figure as the key figure. */
class SpoolAndApiReportTest {
    private static final Instant ORIGIN = Instant.parse("2026-11-22T08:00:00Z");

    @TempDir
    Path dir;

    private ScenarioResult result(String expect, Map<String, String> figures) throws Exception {
        Scenario s = new ScenarioLoader().parse("s.yaml", "title: t\nduration: 20s\ntiers: [2]\ndevice:\n  services:\n"
                + "    - name: ticker\n  updates: {device_class: hil}\n  api: {}\nexpect:\n" + expect);
        RunRecord run = new RunRecord("s", 2, 1, dir, dir.resolve("logs"), ORIGIN, ORIGIN.plusSeconds(20), List.of(),
                Set.of(), List.of(), List.of(), List.of());
        AgentRecords records = new AgentRecords(List.of());
        Grade g = new Grade(s.expectations().stream().map(e -> new Verdict(e, false, "observed " + e.line())).toList(),
                figures, Timeline.of(records, List.of("ticker"), ORIGIN, ORIGIN.plusSeconds(20)), records,
                new DeviceArtifacts(List.of(), List.of()));
        return new ScenarioResult(s, run, g, Duration.ofSeconds(20));
    }

    @Test
    void theApiDecisionsAreTheKeyFigureOfAnApiScenarioAndTheSpoolsOfASpoolOne() throws Exception {
        Map<String, String> figures = Map.of("API requests", "allowed 13, denied 78", "spool", "lines dropped 5",
                "updates", "committed app-2");
        assertEquals("API requests allowed 13, denied 78; updates: committed app-2",
                result("  - {api_audit: denied}\n  - {log: ticker, contains: tick}\n", figures).keyFigure());
        assertEquals("spool: lines dropped 5", result("  - {spool_within: 1MiB}\n", figures).keyFigure());
        assertEquals("updates: committed app-2", result("  - {api_pushes: any}\n", figures).keyFigure());
    }

    @Test
    void theReportStatesEachNewExpectationWithWhatWasObserved() throws Exception {
        ScenarioResult r = result("  - {log: ticker, contains: tick, every: 1500ms}\n  - {spool_within: 1MiB}\n"
                + "  - {api_audit: refused, code: rate_limited}\n  - {api_pushes: committed, at_most: 1}\n", Map.of());
        String html = Files.readString(HtmlReport.write(dir, "t", List.of(r)));
        for (String text : List.of("at least 1 spool lines of ticker containing &#39;tick&#39;, at most 1500 ms apart",
                "the spool&#39;s segments total at most 1048576 bytes at the end",
                "at least 1 API requests refused (rate_limited) in the audit log",
                "1 to 1 pushes committed in the API&#39;s push ledger", "observed 13")) {
            assertTrue(html.contains(text), text + " not in the report");
        }
    }
}
