package io.waveos.hil.report;

import io.waveos.hil.grading.Verdict;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes {@code junit.xml}: one test case per scenario, failing with the expectations that failed. */
public final class JunitXml {
    private JunitXml() {
    }

    public static Path write(Path dir, String suite, List<ScenarioResult> results) throws IOException {
        long failures = results.stream().filter(r -> !r.passed()).count();
        double total = results.stream().mapToLong(r -> r.wallTime().toMillis()).sum() / 1000.0;
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        b.append("<testsuite name=\"").append(Html.escape(suite)).append("\" tests=\"").append(results.size())
                .append("\" failures=\"").append(failures).append("\" errors=\"0\" time=\"").append(total).append("\">\n");
        for (ScenarioResult r : results) {
            b.append("  <testcase classname=\"hil.tier").append(r.run().tier()).append("\" name=\"")
                    .append(Html.escape(r.scenario().name())).append("\" time=\"")
                    .append(r.wallTime().toMillis() / 1000.0).append("\">");
            if (!r.passed()) {
                StringBuilder m = new StringBuilder();
                r.sweep().ifPresent(sw -> sw.points().stream().filter(p -> !p.passed()).forEach(p -> m.append("cut point ")
                        .append(p.nth()).append(" (before ").append(p.operation()).append("): ")
                        .append(String.join("; ", p.failed())).append('\n')));
                if (r.sweep().filter(sw -> sw.points().isEmpty()).isPresent()) {
                    m.append("the sweep found no operation in scope\n");
                }
                for (Verdict v : r.grade().verdicts()) {
                    if (!v.passed()) {
                        m.append(v.expectation().text()).append(": observed ").append(v.observed()).append('\n');
                    }
                }
                if (r.grade().records().runs().isEmpty()) {
                    m.append("the agent left no run records\n");
                }
                b.append("\n    <failure message=\"").append(Html.escape(r.sweep().map(sw -> sw.figure())
                        .orElse(r.grade().failures() + " expectation(s) failed")))
                        .append("\">").append(Html.escape(m.toString())).append("</failure>\n  ");
            }
            b.append("</testcase>\n");
        }
        b.append("</testsuite>\n");
        Path file = dir.resolve("junit.xml");
        Files.writeString(file, b, StandardCharsets.UTF_8);
        return file;
    }
}
