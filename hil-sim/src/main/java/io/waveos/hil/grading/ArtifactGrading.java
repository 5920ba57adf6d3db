package io.waveos.hil.grading;

import io.waveos.hil.rig.RunRecord;
import io.waveos.hil.scenario.Expectation;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decides the expectations about the agent's telemetry artifacts ({@code metrics.csv}, evidence packs)
 * and names their key figures. Pure.
 */
final class ArtifactGrading {
    private ArtifactGrading() {
    }

    static Verdict decide(Expectation e, DeviceArtifacts a, RunRecord run) {
        if (e instanceof Expectation.EvidencePack p) {
            // a refused pack's subject is unknown (its manifest is not trusted): it counts against any subject
            List<DeviceArtifacts.Pack> ofKind = a.packs().stream().filter(x -> x.kind().equals(p.kind()))
                    .filter(x -> !x.verified() || p.subject().map(s -> s.equals(x.subject())).orElse(true)).toList();
            long verified = ofKind.stream().filter(DeviceArtifacts.Pack::verified).count();
            List<String> refused = ofKind.stream().filter(x -> !x.verified()).map(x -> x.file() + ": " + x.verdict())
                    .toList();
            return new Verdict(e, verified >= p.atLeast() && refused.isEmpty(), verified + " verified of "
                    + a.packs().size() + " packs" + (refused.isEmpty() ? "" : "; " + String.join("; ", refused)));
        }
        if (e instanceof Expectation.Metric m) {
            return metric(m, a, run);
        }
        throw new IllegalArgumentException("not an artifact expectation: " + e);
    }

    private static Verdict metric(Expectation.Metric m, DeviceArtifacts a, RunRecord run) {
        Duration to = m.to().compareTo(run.length()) < 0 ? m.to() : run.length();
        List<DeviceArtifacts.Row> rows = a.series(m.series()).stream().filter(r -> {
            Duration t = Duration.between(run.origin(), r.time());
            return t.compareTo(m.from()) >= 0 && t.compareTo(to) <= 0;
        }).toList();
        if (rows.isEmpty()) {
            return new Verdict(m, false, "no " + m.series() + " rows in the window (" + a.series(m.series()).size()
                    + " in all)");
        }
        double max = rows.stream().mapToDouble(DeviceArtifacts.Row::value).max().orElseThrow();
        return switch (m.test()) {
            case REACHES -> new Verdict(m, max >= m.level(), rows.size() + " rows, max " + plain(max)
                    + rows.stream().filter(r -> r.value() >= m.level()).findFirst().map(r -> ", first reached at "
                    + Grader.secs(Duration.between(run.origin(), r.time()))).orElse(""));
            case STAYS_BELOW -> new Verdict(m, max < m.level(), rows.size() + " rows, max " + plain(max));
            case SAMPLED_EVERY -> {
                Duration worst = Duration.between(run.origin().plus(m.from()), rows.get(0).time());
                for (int i = 1; i < rows.size(); i++) {
                    Duration gap = Duration.between(rows.get(i - 1).time(), rows.get(i).time());
                    worst = gap.compareTo(worst) > 0 ? gap : worst;
                }
                Duration tail = Duration.between(rows.get(rows.size() - 1).time(), run.origin().plus(to));
                worst = tail.compareTo(worst) > 0 ? tail : worst;
                yield new Verdict(m, worst.compareTo(m.every()) <= 0, rows.size() + " samples, widest gap "
                        + worst.toMillis() + " ms (window edges included)");
            }
        };
    }

    /** Evidence packs by kind, policy decisions by rule and outcome, metrics rows and series. */
    static Map<String, String> figures(AgentRecords records, DeviceArtifacts a, RunRecord run) {
        Map<String, String> f = new LinkedHashMap<>();
        if (!a.packs().isEmpty()) {
            Map<String, Integer> byKind = new TreeMap<>();
            a.packs().forEach(p -> byKind.merge(p.kind() + (p.verified() ? "" : " (REFUSED)"), 1, Integer::sum));
            f.put("evidence packs", byKind.toString().replaceAll("[{}]", "").replace("=", ": "));
        }
        Map<String, Integer> decisions = new TreeMap<>();
        records.events().stream().filter(e -> e.code().equals("policy.decision"))
                .filter(e -> Duration.between(run.origin(), e.time()).compareTo(run.length()) < 0)
                .forEach(e -> decisions.merge(e.subject() + " " + e.fields().getOrDefault("action", "?") + " "
                        + e.fields().getOrDefault("outcome", "?"), 1, Integer::sum));
        if (!decisions.isEmpty()) {
            f.put("policy decisions", decisions.toString().replaceAll("[{}]", "").replace("=", ": "));
        }
        if (!a.metrics().isEmpty()) {
            f.put("metrics.csv", a.metrics().size() + " rows, " + a.metrics().stream().map(DeviceArtifacts.Row::series)
                    .distinct().count() + " series");
        }
        return f;
    }

    static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
