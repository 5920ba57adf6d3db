package io.waveos.hil.report;

import io.waveos.hil.grading.Verdict;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code report.html}: a summary table, then per scenario its story, timeline, expectations
 * (pass/fail with what was observed), key figures and links to the evidence (relative paths, so the
 * report folder can be copied with the work folders beside it). No scripts, no external resources.
 */
public final class HtmlReport {
    private HtmlReport() {
    }

    public static Path write(Path dir, String title, List<ScenarioResult> results) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html><html><head><meta charset='utf-8'><title>").append(Html.escape(title))
                .append("</title><style>body{font-family:sans-serif;margin:24px;max-width:1100px}"
                        + "table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 8px;"
                        + "text-align:left;font-size:13px}.pass{color:#2e7d32;font-weight:bold}"
                        + ".fail{color:#c62828;font-weight:bold}h2{margin-top:36px;border-top:1px solid #ddd;"
                        + "padding-top:12px}.story{color:#444}code{font-size:12px}</style></head><body>");
        long failed = results.stream().filter(r -> !r.passed()).count();
        b.append("<h1>").append(Html.escape(title)).append("</h1><p>").append(Instant.now()).append(" &middot; ")
                .append(results.size()).append(" scenarios, ").append(failed == 0 ? "<span class='pass'>all passed"
                        : "<span class='fail'>" + failed + " failed").append("</span></p>");
        b.append("<p class='story'>Every verdict below is decided from what the agent itself recorded (its "
                + "<code>events.jsonl</code> and <code>run_meta.json</code> of every run) and from the process table "
                + "read at the end; the fault lines on the timelines only show when the simulator injected what.</p>");
        b.append("<table><tr><th>scenario</th><th>tier</th><th>outcome</th><th>key figure</th><th>wall time</th></tr>");
        for (ScenarioResult r : results) {
            b.append("<tr><td><a href='#").append(r.scenario().name()).append("'>").append(r.scenario().name())
                    .append("</a></td><td>").append(r.run().tier()).append("</td><td>").append(outcome(r.passed()))
                    .append("</td><td>").append(Html.escape(r.keyFigure())).append("</td><td>")
                    .append(String.format("%.1f s", r.wallTime().toMillis() / 1000.0)).append("</td></tr>");
        }
        b.append("</table>");
        for (ScenarioResult r : results) {
            section(b, dir, r);
        }
        b.append("</body></html>\n");
        Path file = dir.resolve("report.html");
        Files.writeString(file, b, StandardCharsets.UTF_8);
        return file;
    }

    private static void section(StringBuilder b, Path dir, ScenarioResult r) {
        b.append("<h2 id='").append(r.scenario().name()).append("'>").append(Html.escape(r.scenario().name()))
                .append(": ").append(Html.escape(r.scenario().title())).append(" ").append(outcome(r.passed()))
                .append("</h2><p class='story'>").append(Html.escape(r.scenario().story())).append("</p><p>tier ")
                .append(r.run().tier()).append(", seed ").append(r.run().seed()).append(", ")
                .append(r.run().length().toMillis() / 1000.0).append(" s").append(r.run().notes().isEmpty() ? ""
                        : "; " + Html.escape(String.join("; ", r.run().notes()))).append("</p>");
        r.sweep().ifPresent(sw -> sweep(b, sw));
        String series = plotted(r);
        b.append(TimelineSvg.render(r.grade().timeline(), r.grade().records(), r.run(), series,
                r.grade().artifacts().series(series)));
        b.append("<table><tr><th>expectation</th><th>outcome</th><th>observed</th></tr>");
        for (Verdict v : r.grade().verdicts()) {
            b.append("<tr><td>").append(Html.escape(v.expectation().text())).append("</td><td>")
                    .append(outcome(v.passed())).append("</td><td>").append(Html.escape(v.observed())).append("</td></tr>");
        }
        if (r.grade().records().runs().isEmpty()) {
            b.append("<tr><td>the agent ran</td><td>").append(outcome(false)).append("</td><td>no run records</td></tr>");
        }
        b.append("</table><table><tr><th>figure</th><th>value</th></tr>");
        for (Map.Entry<String, String> f : new java.util.TreeMap<>(r.grade().figures()).entrySet()) {
            b.append("<tr><td>").append(Html.escape(f.getKey())).append("</td><td>").append(Html.escape(f.getValue()))
                    .append("</td></tr>");
        }
        b.append("</table><p>evidence: ");
        for (var run : r.grade().records().runs()) {
            link(b, dir, r.run().logs().resolve("runs").resolve(run.id()).resolve("events.jsonl"), "events " + run.id());
        }
        for (Path p : r.run().evidence()) {
            link(b, dir, p, p.getFileName().toString());
        }
        Path evidenceDir = r.run().logs().resolve("evidence");
        if (Files.isDirectory(evidenceDir)) {
            link(b, dir, evidenceDir, "evidence packs");
        }
        b.append("</p>");
    }

    /** A sweep: its figure, which cut point the timeline below shows, and every cut point's outcome. */
    private static void sweep(StringBuilder b, Sweep sw) {
        b.append("<p>").append(Html.escape(sw.figure())).append(" (one full run per ").append(Html.escape(sw.scope()))
                .append(", each graded on its own). The timeline and expectations below are those of cut point ")
                .append(sw.shown()).append(sw.passed() ? ", a representative one." : ", the first that failed.")
                .append("</p><table><tr><th>cut point</th><th>the power went just before</th><th>outcome</th>"
                        + "<th>failed expectations</th></tr>");
        for (Sweep.Point p : sw.points()) {
            b.append("<tr><td>").append(p.nth()).append("</td><td><code>").append(Html.escape(p.operation()))
                    .append("</code></td><td>").append(outcome(p.passed())).append("</td><td>")
                    .append(Html.escape(String.join("; ", p.failed()))).append("</td></tr>");
        }
        if (sw.points().isEmpty()) {
            b.append("<tr><td colspan='4'>").append(outcome(false)).append(" no operation in scope: nothing was cut")
                    .append("</td></tr>");
        }
        b.append("</table>");
    }

    private static void link(StringBuilder b, Path dir, Path target, String label) {
        if (!Files.exists(target)) {
            return;
        }
        String href;
        try {
            href = dir.toAbsolutePath().relativize(target.toAbsolutePath()).toString();
        } catch (IllegalArgumentException e) {
            href = target.toUri().toString();
        }
        b.append("<a href='").append(Html.escape(href)).append("'>").append(Html.escape(label)).append("</a> ");
    }

    private static String outcome(boolean passed) {
        return passed ? "<span class='pass'>PASS</span>" : "<span class='fail'>FAIL</span>";
    }

    /**
     * The series drawn under a scenario's timeline: the first one an expectation names, else the
     * {@code rss_bytes} of the first service with a leak, else that of the first service.
     */
    static String plotted(ScenarioResult r) {
        for (io.waveos.hil.scenario.Expectation e : r.scenario().expectations()) {
            if (e instanceof io.waveos.hil.scenario.Expectation.Metric m) {
                return m.series();
            }
        }
        String service = r.scenario().faults().stream().filter(f -> f.action().map(a -> a.kind()
                == io.waveos.hil.scenario.Scenario.ActionKind.LEAK).orElse(false)).flatMap(f -> f.service().stream())
                .findFirst().orElse(r.scenario().device().services().isEmpty() ? ""
                        : r.scenario().device().services().get(0).name());
        return "service:" + service + ":rss_bytes";
    }
}
