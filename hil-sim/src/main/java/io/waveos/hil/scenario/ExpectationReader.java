package io.waveos.hil.scenario;

import io.waveos.hil.scenario.YamlTree.Item;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads one entry of {@code expect}; its first key names its kind. */
final class ExpectationReader {
    static final List<String> KINDS = List.of("event", "never", "final_mode", "running", "not_running",
            "availability", "chain_intact", "previous_stop", "restart_latency", "runs", "evidence_pack",
            "policy_decision", "metric", "log", "spool_within", "api_audit", "api_pushes");
    /** The kinds graded from records only tier 2 keeps (the spool's thread and real output; the API). */
    static final List<String> TIER_2_KINDS = List.of("log", "spool_within", "api_audit", "api_pushes");
    static final List<String> PUSH_STATES = List.of("any", "received", "verifying", "rejected", "installing", "trial",
            "committed", "rolled_back");
    private static final Duration FOREVER = Duration.ofDays(365);
    private final Fields f;
    private final Set<String> services;
    private final Set<Integer> tiers;
    private final boolean api;

    /**
     * @param tiers the scenario's tiers: kinds only tier 2 can grade are refused in a tier-1 scenario
     * @param api   whether {@code device.api} turns the agent's API on (the API kinds need it)
     */
    ExpectationReader(Fields f, Set<String> services, Set<Integer> tiers, boolean api) {
        this.f = f;
        this.services = services;
        this.tiers = tiers;
        this.api = api;
    }

    Optional<Expectation> read(Item item, String path) {
        Optional<Map<String, Item>> mm = f.map(item, path, List.of("event", "never", "subject", "fields", "between",
                "at_least", "at_most", "final_mode", "running", "not_running", "availability", "chain_intact",
                "previous_stop", "run", "restart_latency", "runs", "evidence_pack", "policy_decision", "action",
                "outcome", "metric", "reaches", "stays_below", "sampled_every", "log", "stream", "contains", "every",
                "spool_within", "api_audit", "code", "api_pushes"));
        if (mm.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Item> m = mm.get();
        List<String> kinds = KINDS.stream().filter(m::containsKey).toList();
        if (kinds.size() != 1) {
            f.problem(item.line(), path, "expected exactly one of " + String.join(", ", KINDS) + ", got "
                    + (kinds.isEmpty() ? "none" : String.join(", ", kinds)));
            return Optional.empty();
        }
        String kind = kinds.get(0);
        Item v = m.get(kind);
        String p = Fields.child(path, kind);
        int line = item.line();
        if (TIER_2_KINDS.contains(kind) && tiers.contains(1)) {
            f.problem(v.line(), p, "'" + kind + "' is graded from " + (kind.startsWith("api") ? "the agent's local API"
                    : "the agent's log spool") + ", which only tier 2 runs (tier 1's fake processes write no output "
                    + "and its agent opens neither the spool's thread nor a port); set 'tiers: [2]'");
        }
        if (kind.startsWith("api") && !api) {
            f.problem(v.line(), p, "'" + kind + "' needs the agent's API (device.api, e.g. 'api: {}')");
        }
        return switch (kind) {
            case "event", "never" -> eventMatch(m, v, p, path).flatMap(match -> {
                Duration[] window = between(m, path);
                if (kind.equals("never")) {
                    return Optional.of(new Expectation.Never(match, window[0], window[1], line));
                }
                int atLeast = Optional.ofNullable(m.get("at_least"))
                        .flatMap(i -> f.integer(i, path + ".at_least", 1, 1_000_000)).orElse(1);
                int atMost = Optional.ofNullable(m.get("at_most"))
                        .flatMap(i -> f.integer(i, path + ".at_most", 0, 1_000_000)).orElse(Integer.MAX_VALUE);
                if (atMost < atLeast) {
                    f.problem(line, path + ".at_most", "at_most " + atMost + " is below at_least " + atLeast);
                }
                return Optional.of(new Expectation.Occurs(match, atMost == 0 ? 0 : atLeast, atMost, window[0],
                        window[1], line));
            });
            case "final_mode" -> f.choice(v, p, List.of("NORMAL", "DEGRADED", "SAFE"),
                    List.of(io.waveos.agent.mode.Mode.NORMAL, io.waveos.agent.mode.Mode.DEGRADED,
                            io.waveos.agent.mode.Mode.SAFE)).map(mode -> new Expectation.FinalMode(mode.name(), line));
            case "running", "not_running" -> f.names(v, p).filter(l -> known(l, v, p))
                    .map(l -> new Expectation.FinalProcesses(l, kind.equals("running"), line));
            case "availability" -> f.name(v, p).filter(s -> known(List.of(s), v, p)).flatMap(s ->
                    f.required(m, line, path, "at_least").flatMap(i -> f.ratio(i, path + ".at_least"))
                            .map(r -> new Expectation.Availability(s, r, line)));
            case "chain_intact" -> f.bool(v, p).map(b -> new Expectation.ChainIntact(line));
            case "previous_stop" -> f.string(v, p).flatMap(reason -> f.required(m, line, path, "run")
                    .flatMap(i -> f.integer(i, path + ".run", 1, 1000))
                    .map(run -> new Expectation.PreviousStop(run, reason, line)));
            case "restart_latency" -> f.name(v, p).filter(s -> known(List.of(s), v, p)).flatMap(s ->
                    f.required(m, line, path, "at_most").flatMap(i -> f.duration(i, path + ".at_most"))
                            .map(d -> new Expectation.RestartLatency(s, d, line)));
            case "runs" -> f.integer(v, p, 1, 1000).map(n -> new Expectation.Runs(n, line));
            case "evidence_pack" -> f.name(v, p).flatMap(k -> {
                Optional<String> subject = Optional.ofNullable(m.get("subject"))
                        .flatMap(i -> f.string(i, path + ".subject"));
                int atLeast = Optional.ofNullable(m.get("at_least"))
                        .flatMap(i -> f.integer(i, path + ".at_least", 1, 1_000_000)).orElse(1);
                return Optional.of(new Expectation.EvidencePack(k, subject, atLeast, line));
            });
            case "policy_decision" -> policyDecision(m, v, p, path);
            case "metric" -> metric(m, v, p, path);
            case "log" -> log(m, v, p, path);
            case "spool_within" -> f.size(v, p).map(b -> new Expectation.SpoolWithin(b, line));
            case "api_audit" -> f.word(v, p, List.of("allowed", "denied", "refused")).flatMap(d -> {
                        Optional<String> code = Optional.ofNullable(m.get("code")).flatMap(i -> f.name(i, path + ".code"));
                        Duration[] window = between(m, path);
                        return counts(m, path).map(c -> new Expectation.ApiAudit(d, code, c[0], c[1], window[0],
                                window[1], line));
                    });
            case "api_pushes" -> f.word(v, p, PUSH_STATES).flatMap(st -> counts(m, path)
                    .map(c -> new Expectation.ApiPushes(st, c[0], c[1], line)));
            default -> Optional.empty();
        };
    }

    /**
     * {@code policy_decision: RULE} with {@code action}, {@code outcome}: a {@code policy.decision} event
     * whose subject is the rule (docs/policy.md, "Decisions"), graded as an {@code event} expectation.
     */
    private Optional<Expectation> policyDecision(Map<String, Item> m, Item v, String p, String path) {
        Optional<String> rule = f.string(v, p);
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        for (String key : List.of("action", "outcome")) {
            Optional.ofNullable(m.get(key)).flatMap(i -> f.string(i, path + "." + key)).ifPresent(x -> fields.put(key, x));
        }
        Optional.ofNullable(m.get("outcome")).flatMap(i -> f.string(i, path + ".outcome"))
                .filter(o -> !List.of("fired", "shadowed", "suppressed").contains(o))
                .ifPresent(o -> f.problem(m.get("outcome").line(), path + ".outcome",
                        "expected fired, shadowed or suppressed, got '" + o + "'"));
        Duration[] window = between(m, path);
        int atLeast = Optional.ofNullable(m.get("at_least"))
                .flatMap(i -> f.integer(i, path + ".at_least", 1, 1_000_000)).orElse(1);
        return rule.map(r -> new Expectation.Occurs(new Expectation.EventMatch("policy.decision", Optional.of(r),
                fields), atLeast, Integer.MAX_VALUE, window[0], window[1], v.line()));
    }

    /** {@code metric: SERIES} with exactly one of {@code reaches}, {@code stays_below}, {@code sampled_every}. */
    private Optional<Expectation> metric(Map<String, Item> m, Item v, String p, String path) {
        Optional<String> series = f.string(v, p).filter(x -> {
            boolean ok = x.matches("(system|service|agent):[A-Za-z0-9_.-]*:[a-z0-9_]+");
            if (!ok) {
                f.problem(v.line(), p, "expected a series named scope:subject:metric (docs/telemetry.md), e.g. "
                        + "service:web:rss_bytes, got '" + x + "'");
            }
            return ok;
        });
        List<String> tests = List.of("reaches", "stays_below", "sampled_every").stream().filter(m::containsKey).toList();
        if (tests.size() != 1) {
            f.problem(v.line(), path, "a metric expectation needs exactly one of reaches, stays_below, sampled_every");
            return Optional.empty();
        }
        String t = tests.get(0);
        Duration[] window = between(m, path);
        Item arg = m.get(t);
        Optional<Expectation> out = switch (t) {
            case "sampled_every" -> f.duration(arg, path + "." + t).flatMap(d -> series.map(s -> new Expectation.Metric(
                    s, Expectation.MetricTest.SAMPLED_EVERY, 0, d, window[0], window[1], v.line())));
            default -> f.level(arg, path + "." + t).flatMap(level -> series.map(s -> new Expectation.Metric(s,
                    t.equals("reaches") ? Expectation.MetricTest.REACHES : Expectation.MetricTest.STAYS_BELOW, level,
                    Duration.ZERO, window[0], window[1], v.line())));
        };
        return out;
    }

    /**
     * {@code log: SERVICE} (or {@code agent}) with {@code contains} (required), {@code stream},
     * {@code at_least}/{@code at_most}, {@code every} and {@code between}.
     */
    private Optional<Expectation> log(Map<String, Item> m, Item v, String p, String path) {
        Optional<String> service = f.name(v, p).filter(s -> s.equals("agent") || known(List.of(s), v, p));
        Optional<String> stream = Optional.ofNullable(m.get("stream")).flatMap(i -> f.word(i, path + ".stream",
                List.of("stdout", "stderr", "agent")));
        Optional<String> contains = f.required(m, v.line(), path, "contains").flatMap(i -> f.string(i, path + ".contains"));
        Optional<Duration> every = Optional.ofNullable(m.get("every")).flatMap(i -> f.duration(i, path + ".every"));
        Duration[] window = between(m, path);
        Optional<int[]> counts = counts(m, path);
        if (service.isEmpty() || contains.isEmpty() || counts.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Expectation.Log(service.get(), stream, contains.get(), counts.get()[0], counts.get()[1],
                every, window[0], window[1], v.line()));
    }

    /** {@code at_least} (default 1; 0 when {@code at_most} is 0) and {@code at_most} (default unbounded). */
    private Optional<int[]> counts(Map<String, Item> m, String path) {
        int atLeast = Optional.ofNullable(m.get("at_least"))
                .flatMap(i -> f.integer(i, path + ".at_least", 1, 1_000_000)).orElse(1);
        int atMost = Optional.ofNullable(m.get("at_most"))
                .flatMap(i -> f.integer(i, path + ".at_most", 0, 1_000_000)).orElse(Integer.MAX_VALUE);
        if (atMost == 0 && !m.containsKey("at_least")) {
            atLeast = 0;
        }
        if (atMost < atLeast) {
            f.problem(m.get("at_most").line(), path + ".at_most", "at_most " + atMost + " is below at_least " + atLeast);
            return Optional.empty();
        }
        return Optional.of(new int[] {atLeast, atMost});
    }

    private boolean known(List<String> names, Item at, String path) {
        boolean ok = true;
        for (String n : names) {
            if (!services.contains(n)) {
                f.problem(at.line(), path, "no service named '" + n + "' in device.services");
                ok = false;
            }
        }
        return ok;
    }

    private Optional<Expectation.EventMatch> eventMatch(Map<String, Item> m, Item v, String p, String path) {
        Optional<String> code = f.string(v, p).filter(c -> {
            boolean ok = c.matches("[a-z_]+\\.[a-z_]+");
            if (!ok) {
                f.problem(v.line(), p, "expected an event code such as service.exited, got '" + c + "'");
            }
            return ok;
        });
        Optional<String> subject = Optional.ofNullable(m.get("subject")).flatMap(i -> f.string(i, path + ".subject"));
        Map<String, String> fields = Optional.ofNullable(m.get("fields")).flatMap(i -> f.plainMap(i, path + ".fields"))
                .orElse(Map.of());
        return code.map(c -> new Expectation.EventMatch(c, subject, fields));
    }

    private Duration[] between(Map<String, Item> m, String path) {
        Item b = m.get("between");
        if (b == null) {
            return new Duration[] {Duration.ZERO, FOREVER};
        }
        Optional<List<Item>> l = f.list(b, path + ".between");
        if (l.isEmpty() || l.get().size() != 2) {
            l.ifPresent(x -> f.problem(b.line(), path + ".between", "expected [FROM, TO], two durations"));
            return new Duration[] {Duration.ZERO, FOREVER};
        }
        Duration from = f.duration(l.get().get(0), path + ".between[0]").orElse(Duration.ZERO);
        Duration to = f.duration(l.get().get(1), path + ".between[1]").orElse(FOREVER);
        if (to.compareTo(from) < 0) {
            f.problem(b.line(), path + ".between", "TO is before FROM");
        }
        return new Duration[] {from, to};
    }
}
