package io.waveos.hil.grading;

import io.waveos.agent.telemetry.EventChainVerifier;
import io.waveos.hil.grading.AgentRecords.Ev;
import io.waveos.hil.rig.RunRecord;
import io.waveos.hil.scenario.Expectation;
import io.waveos.hil.scenario.Scenario;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides a scenario's expectations from the agent's records and the final process table; computes
 * the key figures. Pure given its inputs (reading the records is the only I/O, in {@link #grade}).
 */
public final class Grader {
    /** Grades {@code run} of {@code scenario} from the files the agent left in the run's logs folder. */
    public Grade grade(Scenario scenario, RunRecord run) throws IOException {
        AgentRecords records = AgentRecords.read(run.logs(), run::onBench);
        DeviceArtifacts artifacts = DeviceArtifacts.read(run.logs(), run::onBench);
        // the spool is read only when an expectation is about it (it may hold 64 MiB); the API's records
        // whenever the API is on (tier 2 keeps the device's state folder at WORK/state)
        DeviceLogs logs = DeviceLogs.read(run.logs(), run.work().resolve("state"), run::onBench,
                scenario.expectations().stream().anyMatch(e -> e instanceof Expectation.Log
                        || e instanceof Expectation.SpoolWithin), scenario.device().api().isPresent());
        List<String> names = scenario.device().services().stream().map(Scenario.ServiceSpec::name).toList();
        Timeline timeline = Timeline.of(records, names, run.origin(), run.end());
        List<Verdict> verdicts = new ArrayList<>();
        for (Expectation e : scenario.expectations()) {
            verdicts.add(e instanceof Expectation.EvidencePack || e instanceof Expectation.Metric
                    ? ArtifactGrading.decide(e, artifacts, run) : LogGrading.grades(e) ? LogGrading.decide(e, logs, run)
                    : decide(e, records, timeline, run));
        }
        Map<String, String> figures = figures(scenario, records, timeline, run);
        figures.putAll(ArtifactGrading.figures(records, artifacts, run));
        figures.putAll(LogGrading.figures(artifacts, logs));
        return new Grade(verdicts, figures, timeline, records, artifacts);
    }

    private Verdict decide(Expectation e, AgentRecords records, Timeline timeline, RunRecord run) {
        if (e instanceof Expectation.Occurs o) {
            List<Ev> hits = matching(records, o.match(), o.from(), o.to(), run);
            return new Verdict(e, hits.size() >= o.atLeast() && hits.size() <= o.atMost(), hits.size() + " matching"
                    + hits.stream().findFirst().map(h -> ", first at " + secs(Duration.between(run.origin(),
                    h.time())) + " (run " + h.run() + ", seq " + h.seq() + ")").orElse(""));
        } else if (e instanceof Expectation.Never n) {
            List<Ev> hits = matching(records, n.match(), n.from(), n.to(), run);
            return new Verdict(e, hits.isEmpty(), hits.isEmpty() ? "none" : hits.size() + " found, first at "
                    + secs(Duration.between(run.origin(), hits.get(0).time())) + ": " + hits.get(0).reason());
        } else if (e instanceof Expectation.FinalMode m) {
            return new Verdict(e, timeline.finalMode().equals(m.mode()),
                "final mode " + timeline.finalMode());
        } else if (e instanceof Expectation.FinalProcesses p) {
            List<String> wrong = p.services().stream().filter(s -> run.finalRunning().contains(s) != p.running())
                    .toList();
            return new Verdict(e, wrong.isEmpty(), "running at the end: " + new java.util.TreeSet<>(run.finalRunning()));
        } else if (e instanceof Expectation.Availability a) {
            double v = timeline.availability(a.service());
            return new Verdict(e, v >= a.atLeast(), String.format("%.3f", v));
        } else if (e instanceof Expectation.ChainIntact) {
            List<String> broken = records.runs().stream().filter(r -> !(r.chain() instanceof EventChainVerifier.Valid))
                    .map(r -> r.id() + ": " + r.chain()).toList();
            return new Verdict(e, broken.isEmpty() && !records.runs().isEmpty(), broken.isEmpty()
                    ? records.runs().size() + " runs verified" : String.join("; ", broken));
        } else if (e instanceof Expectation.PreviousStop p) {
            Optional<String> got = p.run() <= records.runs().size() ? records.runs().get(p.run() - 1).previousStop()
                    : Optional.empty();
            return new Verdict(e, got.equals(Optional.of(p.reason())), got.map(g -> "classified as " + g)
                    .orElse("no run " + p.run() + " (" + records.runs().size() + " runs)"));
        } else if (e instanceof Expectation.RestartLatency r) {
            List<Optional<Duration>> l = latencies(records, r.service(), run);
            Duration worst = l.stream().map(x -> x.orElse(Duration.ofDays(1))).max(Duration::compareTo)
                    .orElse(Duration.ZERO);
            return new Verdict(e, !l.isEmpty() && worst.compareTo(r.atMost()) <= 0, l.isEmpty() ? "no exit seen"
                    : l.size() + " exits, worst " + (worst.toDays() >= 1 ? "never restarted" : worst.toMillis() + " ms"));
        } else if (e instanceof Expectation.Runs n) {
            return new Verdict(e, records.runs().size() >= n.atLeast(), records.runs().size()
                + " runs");

        }
        throw new IllegalStateException("unknown expectation " + e);
    }

    /**
     * The events matching {@code m} within {@code [from, to]} of the scenario. Events from the end of the
     * scenario on (the rig's graceful stop of the device) are not part of it.
     */
    static List<Ev> matching(AgentRecords records, Expectation.EventMatch m, Duration from, Duration to, RunRecord run) {
        Instant origin = run.origin();
        Duration length = run.length();
        return records.events().stream().filter(ev -> ev.code().equals(m.code()))
                .filter(ev -> m.subject().map(s -> s.equals(ev.subject())).orElse(true))
                .filter(ev -> m.fields().entrySet().stream().allMatch(f -> f.getValue().equals(ev.fields().get(f.getKey()))))
                .filter(ev -> {
                    Duration t = Duration.between(origin, ev.time());
                    return t.compareTo(from) >= 0 && t.compareTo(to) <= 0 && t.compareTo(length) < 0;
                }).toList();
    }

    /** Per exit of {@code service} (before the end), the time to its next {@code service.ready}; empty: never. */
    static List<Optional<Duration>> latencies(AgentRecords records, String service, RunRecord run) {
        List<Ev> evs = records.events().stream().filter(e -> e.subject().equals(service)).toList();
        List<Optional<Duration>> out = new ArrayList<>();
        for (int i = 0; i < evs.size(); i++) {
            if (!evs.get(i).code().equals("service.exited")) {
                continue;
            }
            Instant exit = evs.get(i).time();
            Optional<Duration> d = Optional.empty();
            for (int j = i + 1; j < evs.size(); j++) {
                if (evs.get(j).code().equals("service.ready")) {
                    d = Optional.of(Duration.between(exit, evs.get(j).time()));
                    break;
                }
            }
            if (d.isPresent() || Duration.between(exit, run.end()).compareTo(Duration.ofSeconds(5)) > 0) {
                out.add(d);
            }
        }
        return out;
    }

    private static Map<String, String> figures(Scenario s, AgentRecords records, Timeline timeline, RunRecord run) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("agent runs", Integer.toString(records.runs().size()));
        f.put("events", Integer.toString(records.events().size()));
        for (Scenario.ServiceSpec svc : s.device().services()) {
            List<Duration> l = latencies(records, svc.name(), run).stream().flatMap(Optional::stream).sorted().toList();
            if (!l.isEmpty()) {
                f.put("restart latency " + svc.name(), "median " + l.get(l.size() / 2).toMillis() + " ms, max "
                        + l.get(l.size() - 1).toMillis() + " ms");
            }
            f.put("availability " + svc.name(), String.format("%.1f %%", 100 * timeline.availability(svc.name())));
        }
        f.put("final mode", timeline.finalMode());
        recovery(records).ifPresent(r -> f.put("recovery", r));
        List<String> denied = records.events().stream().filter(e -> e.code().equals("companion.approval_decided"))
                .filter(e -> "guardian".equals(e.fields().get("by")) && "false".equals(e.fields().get("approved")))
                .filter(e -> Duration.between(run.origin(), e.time()).compareTo(run.length()) < 0)
                .map(e -> e.fields().get("action") + " (" + e.fields().getOrDefault("rule", "?") + ")").distinct().toList();
        if (!denied.isEmpty()) {
            f.put("guardian denied", String.join(", ", denied));
        }
        records.events().stream().filter(e -> e.code().equals("service.exited") && "RUNNING".equals(e.fields().get("state")))
                .filter(e -> Duration.between(run.origin(), e.time()).compareTo(run.length()) < 0).findFirst()
                .ifPresent(e -> f.put("first failure", secs(Duration.between(run.origin(), e.time())) + ": " + e.subject()
                        + " " + e.reason()));
        List<String> updates = records.events().stream().filter(e -> List.of("update.committed", "update.rolled_back",
                "update.rejected").contains(e.code())).filter(e -> Duration.between(run.origin(), e.time())
                .compareTo(run.length()) < 0).map(e -> e.code().substring("update.".length()).replace('_', ' ') + " "
                        + e.fields().getOrDefault("bundle_id", e.fields().getOrDefault("bundle", "?"))
                        + (e.fields().containsKey("criterion") ? " (" + e.fields().get("criterion") + ")"
                        : e.fields().containsKey("error") ? " (" + e.fields().get("error") + ")" : "")).toList();
        if (!updates.isEmpty()) {
            f.put("updates", String.join(", ", updates));
        }
        records.events().stream().filter(e -> e.code().equals("companion.safe_mode_order")).findFirst().ifPresent(e -> {
            int at = e.reason().lastIndexOf("in ~");
            String eta = at < 0 ? "not stated" : e.reason().substring(at + 4);
            f.put("lead time", eta + " (the Guardian's predicted time to its limit when it ordered SAFE at "
                    + secs(Duration.between(run.origin(), e.time())) + ")");
        });
        return f;
    }

    /** The last run's start to its {@code systemd.ready} (every service ready or handled), and its classification. */
    static Optional<String> recovery(AgentRecords records) {
        if (records.runs().isEmpty()) {
            return Optional.empty();
        }
        AgentRecords.Run last = records.runs().get(records.runs().size() - 1);
        Optional<Ev> started = last.events().stream().filter(e -> e.code().equals("agent.started")).findFirst();
        Optional<Ev> ready = last.events().stream().filter(e -> e.code().equals("systemd.ready")).findFirst();
        if (started.isEmpty() || ready.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("run " + records.runs().size() + " ready " + Duration.between(started.get().time(),
                ready.get().time()).toMillis() + " ms after start (previous stop: "
                + last.previousStop().orElse("?") + ")");
    }

    static String secs(Duration d) {
        return String.format("%.2f s", d.toMillis() / 1000.0);
    }
}
