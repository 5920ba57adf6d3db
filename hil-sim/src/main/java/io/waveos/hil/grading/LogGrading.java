package io.waveos.hil.grading;

import io.waveos.hil.rig.RunRecord;
import io.waveos.hil.scenario.Expectation;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decides the expectations about the agent's log spool and its API's records ({@link DeviceLogs}) and
 * names their key figures. Pure.
 */
final class LogGrading {
    private LogGrading() {
    }

    /** Whether {@code e} is graded here. */
    static boolean grades(Expectation e) {
        return e instanceof Expectation.Log || e instanceof Expectation.SpoolWithin || e instanceof Expectation.ApiAudit
                || e instanceof Expectation.ApiPushes;
    }

    static Verdict decide(Expectation e, DeviceLogs d, RunRecord run) {
        if (e instanceof Expectation.Log l) {
            return log(l, d, run);
        }
        if (e instanceof Expectation.SpoolWithin s) {
            return new Verdict(e, d.segments() > 0 && d.spoolBytes() <= s.maxBytes(), d.segments() + " segments, "
                    + d.spoolBytes() + " bytes, " + d.lines().size() + " records" + (d.corrupt().isEmpty() ? ""
                    : "; " + d.corrupt().size() + " corrupt stretches skipped"));
        }
        if (e instanceof Expectation.ApiAudit a) {
            Duration to = a.to().compareTo(run.length()) < 0 ? a.to() : run.length();
            long n = d.audit().stream().filter(x -> x.decision().equals(a.decision()))
                    .filter(x -> a.code().map(c -> c.equals(x.code())).orElse(true))
                    .filter(x -> within(run, x.time(), a.from(), to)).count();
            return new Verdict(e, n >= a.atLeast() && n <= a.atMost(), n + " matching of " + d.audit().size()
                    + " audit lines (" + byDecision(d) + ")");
        }
        if (e instanceof Expectation.ApiPushes p) {
            if (d.pushes().isEmpty()) {
                return new Verdict(e, false, "no STATE/api folder: the agent never opened its API");
            }
            Map<String, Long> counts = d.pushes().get();
            long n = p.state().equals("any") ? counts.values().stream().mapToLong(Long::longValue).sum()
                    : counts.getOrDefault(p.state(), 0L);
            Map<String, Long> shown = new TreeMap<>(counts);
            shown.values().removeIf(v -> v == 0);
            return new Verdict(e, n >= p.atLeast() && n <= p.atMost(), n + " matching; ledger " + shown);
        }
        throw new IllegalArgumentException("not a log or API expectation: " + e);
    }

    private static Verdict log(Expectation.Log l, DeviceLogs d, RunRecord run) {
        Duration to = l.to().compareTo(run.length()) < 0 ? l.to() : run.length();
        List<DeviceLogs.Line> ofService = d.lines().stream().filter(x -> x.service().equals(l.service()))
                .filter(x -> l.stream().map(s -> s.equals(x.stream())).orElse(true)).toList();
        List<DeviceLogs.Line> hits = ofService.stream().filter(x -> x.text().contains(l.contains()))
                .filter(x -> within(run, x.time(), l.from(), to)).toList();
        boolean counted = hits.size() >= l.atLeast() && hits.size() <= l.atMost();
        String seen = hits.size() + " matching of " + ofService.size() + " lines of " + l.service()
                + hits.stream().findFirst().map(h -> ", first at " + Grader.secs(Duration.between(run.origin(),
                h.time()))).orElse("");
        if (l.every().isEmpty()) {
            return new Verdict(l, counted, seen);
        }
        if (hits.isEmpty()) {
            return new Verdict(l, false, seen);
        }
        Instant previous = run.origin().plus(l.from());
        Duration worst = Duration.ZERO;
        Instant worstAt = previous;
        for (DeviceLogs.Line h : hits) {
            Duration gap = Duration.between(previous, h.time());
            if (gap.compareTo(worst) > 0) {
                worst = gap;
                worstAt = previous;
            }
            previous = h.time();
        }
        Duration tail = Duration.between(previous, run.origin().plus(to));
        if (tail.compareTo(worst) > 0) {
            worst = tail;
            worstAt = previous;
        }
        return new Verdict(l, counted && worst.compareTo(l.every().get()) <= 0, seen + ", widest gap "
                + worst.toMillis() + " ms from " + Grader.secs(Duration.between(run.origin(), worstAt))
                + " (window edges included)");
    }

    private static boolean within(RunRecord run, Instant time, Duration from, Duration to) {
        Duration t = Duration.between(run.origin(), time);
        return t.compareTo(from) >= 0 && t.compareTo(to) <= 0 && t.compareTo(run.length()) < 0;
    }

    private static String byDecision(DeviceLogs d) {
        Map<String, Integer> n = new TreeMap<>();
        d.audit().forEach(a -> n.merge(a.decision(), 1, Integer::sum));
        return n.isEmpty() ? "none" : n.toString().replaceAll("[{}]", "").replace("=", " ");
    }

    /**
     * The spool's totals over every agent run (its counters restart with each run: the sum of each run's
     * last sample) from {@code metrics.csv}, and the API's decisions from the audit log when it was read.
     */
    static Map<String, String> figures(DeviceArtifacts a, DeviceLogs d) {
        Map<String, String> f = new LinkedHashMap<>();
        long written = total(a, "agent::spool_written_bytes_total");
        if (written > 0) {
            f.put("spool", "lines dropped " + total(a, "agent::spool_dropped_total") + ", records deleted by retention "
                    + total(a, "agent::spool_retention_dropped_total") + ", " + written + " bytes written");
        }
        if (!d.audit().isEmpty()) {
            f.put("API requests", byDecision(d));
        }
        return f;
    }

    /** The sum over runs of each run's largest value of a counter series. */
    static long total(DeviceArtifacts a, String series) {
        Map<Integer, Double> perRun = new TreeMap<>();
        a.series(series).forEach(r -> perRun.merge(r.run(), r.value(), Math::max));
        return (long) perRun.values().stream().mapToDouble(Double::doubleValue).sum();
    }
}
