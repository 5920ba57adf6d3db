package io.waveos.hil.scenario;

import io.waveos.hil.scenario.Scenario.Action;
import io.waveos.hil.scenario.Scenario.ActionKind;
import io.waveos.hil.scenario.YamlTree.Item;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * The strict scenario loader ({@code docs/hil.md}, "Writing a scenario"): every problem in a file is
 * reported at once as {@code FILE:LINE: KEY.PATH: what was expected}; unknown keys, wrong types,
 * unknown services and faults no tier can inject are errors. Pure and thread-safe.
 */
public final class ScenarioLoader {
    static final List<String> TOP = List.of("title", "story", "tiers", "duration", "seed", "device", "guardian",
            "faults", "expect");
    static final List<String> ACTION_WORDS = Arrays.stream(ActionKind.values()).map(ActionKind::wire).toList();
    static final List<String> FAULT_WORDS = Arrays.stream(FaultKind.values()).filter(k -> k != FaultKind.SERVICE)
            .map(FaultKind::wire).toList();
    static final List<String> RESTART_KEYS = List.of("policy", "backoff_max", "reset_after", "intensity", "within");

    /**
     * Parses {@code text}, the content of the file named {@code file} (its base name, without
     * {@code .yaml}, becomes the scenario's name).
     *
     * @throws ScenarioException with every problem found
     */
    public Scenario parse(String file, String text) throws ScenarioException {
        List<ScenarioException.Problem> problems = new ArrayList<>();
        Item root = YamlTree.parse(file, text, problems);
        Fields f = new Fields(file, problems);
        Optional<Scenario> s = problems.isEmpty() ? new Reader(f, file).read(root) : Optional.empty();
        if (!problems.isEmpty() || s.isEmpty()) {
            if (problems.isEmpty()) {
                problems.add(new ScenarioException.Problem(file, 0, "", "not a valid scenario"));
            }
            problems.sort(java.util.Comparator.comparingInt(ScenarioException.Problem::line));
            throw new ScenarioException(problems);
        }
        return s.get();
    }

    private static final class Reader {
        private final Fields f;
        private final String file;
        private final Set<String> services = new HashSet<>();
        private Set<Integer> tiers = Set.of(1, 2);
        /** {@code device.api} is present: the agent's API is on. */
        private boolean api;

        Reader(Fields f, String file) {
            this.f = f;
            this.file = file;
        }

        Optional<Scenario> read(Item root) {
            Optional<Map<String, Item>> top = f.map(root, "", TOP);
            if (top.isEmpty()) {
                return Optional.empty();
            }
            Map<String, Item> m = top.get();
            Optional<String> title = f.required(m, root.line(), "", "title").flatMap(i -> f.string(i, "title"));
            String story = Optional.ofNullable(m.get("story")).flatMap(i -> f.string(i, "story")).orElse("");
            Set<Integer> tiers = Optional.ofNullable(m.get("tiers")).map(this::tiers).orElse(Set.of(1, 2));
            this.tiers = tiers;
            Optional<Duration> duration = f.required(m, root.line(), "", "duration")
                    .flatMap(i -> f.duration(i, "duration"));
            long seed = Optional.ofNullable(m.get("seed")).flatMap(i -> f.integer(i, "seed", 0, Integer.MAX_VALUE))
                    .orElse(1).longValue();
            Optional<Scenario.Device> device = f.required(m, root.line(), "", "device").flatMap(this::device);
            Scenario.Guardian guardian = Optional.ofNullable(m.get("guardian")).flatMap(this::guardian)
                    .orElse(Scenario.Guardian.off());
            List<Fault> faults = Optional.ofNullable(m.get("faults")).map(i -> faults(i, tiers))
                    .orElse(List.of());
            List<Expectation> expect = f.required(m, root.line(), "", "expect").map(this::expectations)
                    .orElse(List.of());
            duration.ifPresent(d -> faults.stream().filter(x -> x.at().compareTo(d) >= 0).forEach(x ->
                    f.problem(x.line(), "faults", "at " + x.at().toMillis() + " ms is not before the end ("
                            + d.toMillis() + " ms)")));
            duration.ifPresent(d -> faults.stream().filter(x -> x.kind() == FaultKind.CLOCK_JUMP)
                    .filter(x -> x.length().abs().compareTo(d) <= 0).forEach(x -> f.problem(x.line(), "faults",
                            "a clock jump must be larger than the scenario (" + d.toMillis() + " ms) so that grading "
                            + "can put the agent's stamps back on the scenario's line unambiguously")));
            if (!guardian.enabled()) {
                faults.stream().filter(x -> x.kind() == FaultKind.SERIAL_NOISE || x.kind() == FaultKind.LINK_CUT)
                        .forEach(x -> f.problem(x.line(), "faults", x.kind().wire()
                                + " needs a Guardian (guardian.enabled: true)"));
            }
            device.filter(d -> d.updatesDeviceClass().isEmpty()).ifPresent(d -> faults.stream()
                    .filter(x -> x.kind() == FaultKind.PUSH_BUNDLE).forEach(x -> f.problem(x.line(), "faults",
                            "push-bundle needs device.updates (the device's class) so the agent takes bundles")));
            ApiFaults.check(f, faults, api);
            if (title.isEmpty() || duration.isEmpty() || device.isEmpty()) {
                return Optional.empty();
            }
            String name = file.replaceAll(".*/", "").replaceAll("\\.ya?ml$", "");
            try {
                return Optional.of(new Scenario(name, title.get(), story, tiers, duration.get(), seed, device.get(),
                        guardian, faults, expect, file));
            } catch (IllegalArgumentException e) {
                f.problem(root.line(), "", e.getMessage());
                return Optional.empty();
            }
        }

        private Set<Integer> tiers(Item item) {
            Set<Integer> out = new TreeSet<>();
            f.list(item, "tiers").ifPresent(l -> {
                for (int i = 0; i < l.size(); i++) {
                    f.integer(l.get(i), "tiers[" + i + "]", 1, 2).ifPresent(out::add);
                }
                if (l.isEmpty()) {
                    f.problem(item.line(), "tiers", "expected at least one tier (1 or 2)");
                }
            });
            return out;
        }

        private Optional<Scenario.Device> device(Item item) {
            Optional<Map<String, Item>> m = f.map(item, "device", List.of("services", "escalation", "modes",
                    "updates", "telemetry", "evidence", "policy", "spool", "api"));
            if (m.isEmpty()) {
                return Optional.empty();
            }
            List<Scenario.ServiceSpec> list = new ArrayList<>();
            f.required(m.get(), item.line(), "device", "services").flatMap(i -> f.list(i, "device.services"))
                    .ifPresent(l -> {
                        for (int i = 0; i < l.size(); i++) {
                            service(l.get(i), "device.services[" + i + "]").ifPresent(list::add);
                        }
                    });
            for (Scenario.ServiceSpec s : list) {
                s.dependsOn().stream().filter(d -> !services.contains(d)).forEach(d -> f.problem(item.line(),
                        "device.services." + s.name() + ".depends_on", "no service named '" + d + "'"));
            }
            Map<String, String> escalation = Optional.ofNullable(m.get().get("escalation"))
                    .flatMap(i -> f.plainMap(i, "device.escalation")).orElse(Map.of());
            Map<String, String> modes = Optional.ofNullable(m.get().get("modes"))
                    .flatMap(i -> f.plainMap(i, "device.modes")).orElse(Map.of());
            Optional<String> updates = Optional.ofNullable(m.get().get("updates"))
                    .flatMap(i -> f.map(i, "device.updates", List.of("device_class"))
                            .flatMap(u -> f.required(u, i.line(), "device.updates", "device_class"))
                            .flatMap(c -> f.name(c, "device.updates.device_class")));
            // the pushed bundles' service (rig.UpdateBundles) may be named by expectations
            updates.ifPresent(u -> services.add("app"));
            Map<String, String> telemetry = Optional.ofNullable(m.get().get("telemetry"))
                    .flatMap(i -> f.plainMap(i, "device.telemetry")).orElse(Map.of());
            Map<String, String> evidence = Optional.ofNullable(m.get().get("evidence"))
                    .flatMap(i -> f.plainMap(i, "device.evidence")).orElse(Map.of());
            Optional<String> policy = Optional.ofNullable(m.get().get("policy")).flatMap(this::policy);
            Map<String, String> spool = Optional.ofNullable(m.get().get("spool")).flatMap(i -> AgentSections.spool(f, i))
                    .orElse(Map.of());
            Optional<Map<String, String>> api = Optional.ofNullable(m.get().get("api")).flatMap(i -> AgentSections.api(f, i));
            this.api = m.get().containsKey("api");
            return Optional.of(new Scenario.Device(list, escalation, modes, updates, telemetry, evidence, policy, spool,
                    api));
        }

        /**
         * {@code device.policy}: the policy file's text (a block scalar), checked by the agent's own
         * policy loader so that a scenario cannot pass a policy a device would refuse.
         */
        private Optional<String> policy(Item item) {
            Optional<String> text = f.string(item, "device.policy");
            text.ifPresent(t -> {
                try {
                    new io.waveos.agent.policy.PolicyLoader().parse("device.policy",
                            t.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                } catch (io.waveos.agent.config.ConfigException e) {
                    f.problem(item.line(), "device.policy", "the agent's policy loader refuses it: "
                            + e.getMessage().replace('\n', ' '));
                }
            });
            return text;
        }

        private Optional<Scenario.ServiceSpec> service(Item item, String path) {
            Optional<Map<String, Item>> m = f.map(item, path, List.of("name", "essential", "allowed_in_safe_mode",
                    "depends_on", "restart", "on_start"));
            if (m.isEmpty()) {
                return Optional.empty();
            }
            Optional<String> name = f.required(m.get(), item.line(), path, "name")
                    .flatMap(i -> f.name(i, Fields.child(path, "name")));
            name.ifPresent(n -> {
                if (!services.add(n)) {
                    f.problem(m.get().get("name").line(), Fields.child(path, "name"), "service '" + n
                            + "' defined twice");
                }
            });
            boolean essential = Optional.ofNullable(m.get().get("essential"))
                    .flatMap(i -> f.bool(i, Fields.child(path, "essential"))).orElse(false);
            boolean safe = Optional.ofNullable(m.get().get("allowed_in_safe_mode"))
                    .flatMap(i -> f.bool(i, Fields.child(path, "allowed_in_safe_mode"))).orElse(false);
            List<String> deps = Optional.ofNullable(m.get().get("depends_on"))
                    .flatMap(i -> f.names(i, Fields.child(path, "depends_on"))).orElse(List.of());
            Map<String, String> restart = Optional.ofNullable(m.get().get("restart")).flatMap(i -> {
                String p = Fields.child(path, "restart");
                f.map(i, p, RESTART_KEYS);
                return f.plainMap(i, p);
            }).orElse(Map.of());
            List<Action> onStart = new ArrayList<>();
            Optional.ofNullable(m.get().get("on_start")).flatMap(i -> f.list(i, Fields.child(path, "on_start")))
                    .ifPresent(l -> {
                        for (int i = 0; i < l.size(); i++) {
                            String p = Fields.child(path, "on_start") + "[" + i + "]";
                            int at = l.get(i).line();
                            f.map(l.get(i), p, List.of("do", "after", "code", "rate")).ifPresent(a ->
                                    action(a, at, p, "after").ifPresent(onStart::add));
                        }
                    });
            return name.map(n -> new Scenario.ServiceSpec(n, essential, safe, deps, restart, onStart));
        }

        private Optional<Action> action(Map<String, Item> m, int line, String path, String delayKey) {
            Optional<ActionKind> kind = f.required(m, line, path, "do").flatMap(i -> f.choice(i,
                    Fields.child(path, "do"), ACTION_WORDS, List.of(ActionKind.values())));
            Duration after = Optional.ofNullable(m.get(delayKey)).flatMap(i -> f.duration(i,
                    Fields.child(path, delayKey))).orElse(Duration.ZERO);
            if (kind.isEmpty()) {
                return Optional.empty();
            }
            if (tiers.contains(1) && (kind.get() == ActionKind.HANG || kind.get() == ActionKind.FLOOD
                    || kind.get() == ActionKind.CORRUPT)) {
                f.problem(m.get("do").line(), Fields.child(path, "do"), "'" + kind.get().wire() + "' needs real "
                        + "processes: tier 1 models only crash, exit, leak and spin; set 'tiers: [2]'");
            }
            int code = kind.get() == ActionKind.CRASH ? 134 : 0;
            if (kind.get() == ActionKind.EXIT) {
                code = f.required(m, line, path, "code").flatMap(i -> f.integer(i, Fields.child(path, "code"), 0, 255))
                        .orElse(-1);
            } else if (m.containsKey("code")) {
                f.problem(m.get("code").line(), Fields.child(path, "code"), "only 'do: exit' takes a code");
            }
            long rate = 0;
            if (kind.get() == ActionKind.LEAK) {
                rate = Optional.ofNullable(m.get("rate")).flatMap(i -> f.size(i, Fields.child(path, "rate")))
                        .orElse(1L << 20);
            } else if (m.containsKey("rate")) {
                f.problem(m.get("rate").line(), Fields.child(path, "rate"), "only 'do: leak' takes a rate");
            }
            return code < 0 ? Optional.empty() : Optional.of(new Action(after, kind.get(), code, rate));
        }

        private Optional<Scenario.Guardian> guardian(Item item) {
            Optional<Map<String, Item>> m = f.map(item, "guardian", List.of("enabled", "rules", "when_unavailable"));
            if (m.isEmpty()) {
                return Optional.empty();
            }
            boolean on = f.required(m.get(), item.line(), "guardian", "enabled")
                    .flatMap(i -> f.bool(i, "guardian.enabled")).orElse(false);
            Map<String, String> rules = Optional.ofNullable(m.get().get("rules"))
                    .flatMap(i -> f.plainMap(i, "guardian.rules")).orElse(Map.of());
            Map<String, String> unavailable = Optional.ofNullable(m.get().get("when_unavailable"))
                    .flatMap(i -> f.plainMap(i, "guardian.when_unavailable")).orElse(Map.of());
            return Optional.of(new Scenario.Guardian(on, rules, unavailable));
        }

        private List<Fault> faults(Item item, Set<Integer> tiers) {
            List<Fault> out = new ArrayList<>();
            f.list(item, "faults").ifPresent(l -> {
                for (int i = 0; i < l.size(); i++) {
                    fault(l.get(i), "faults[" + i + "]", tiers).ifPresent(out::add);
                }
            });
            return out;
        }

        private Optional<Fault> fault(Item item, String path, Set<Integer> tiers) {
            Optional<Map<String, Item>> mm = f.map(item, path, List.of("at", "do", "service", "code", "rate", "after", "for",
                    "bundle", "ber", "by", "every_start", "at_write", "writes", "via"));
            if (mm.isEmpty()) {
                return Optional.empty();
            }
            Map<String, Item> m = mm.get();
            Optional<Duration> at = f.required(m, item.line(), path, "at").flatMap(i -> f.duration(i, path + ".at"));
            Optional<String> what = f.required(m, item.line(), path, "do").flatMap(i -> f.string(i, path + ".do"));
            if (at.isEmpty() || what.isEmpty()) {
                return Optional.empty();
            }
            if (ACTION_WORDS.contains(what.get())) {
                Optional<String> service = f.required(m, item.line(), path, "service")
                        .flatMap(i -> f.name(i, path + ".service"));
                service.filter(s -> !services.contains(s)).ifPresent(s -> f.problem(m.get("service").line(),
                        path + ".service", "no service named '" + s + "' in device.services"));
                Optional<Action> action = action(m, item.line(), path, "after");
                boolean every = Optional.ofNullable(m.get("every_start")).flatMap(i -> f.bool(i, path + ".every_start"))
                        .orElse(false);
                return service.flatMap(s -> action.map(a -> new Fault(at.get(), FaultKind.SERVICE, Optional.of(s),
                        Optional.of(a), every, Duration.ZERO, "", Optional.empty(), item.line())));
            }
            int k = FAULT_WORDS.indexOf(what.get());
            if (k < 0) {
                f.problem(m.get("do").line(), path + ".do", "expected a service action (" + String.join(", ",
                        ACTION_WORDS) + ") or a fault (" + String.join(", ", FAULT_WORDS) + "), got '" + what.get()
                        + "'");
                return Optional.empty();
            }
            FaultKind kind = Arrays.stream(FaultKind.values()).filter(x -> x.wire().equals(what.get())).findFirst()
                    .orElseThrow();
            Set<Integer> missing = new TreeSet<>(tiers);
            missing.removeAll(kind.tiers());
            if (!missing.isEmpty()) {
                f.problem(m.get("do").line(), path + ".do", "fault '" + kind.wire() + "' cannot be injected in tier "
                        + missing + " yet (tiers that can: " + kind.tiers() + "); narrow the scenario's tiers");
            }
            Duration length = Duration.ZERO;
            String argument = "";
            switch (kind) {
                case FREEZE_AGENT, POWER_CUT, LINK_CUT, DISK_FULL -> length = f.required(m, item.line(), path, "for")
                        .flatMap(i -> f.duration(i, path + ".for")).orElse(Duration.ZERO);
                case CLOCK_JUMP -> length = f.required(m, item.line(), path, "by").flatMap(i -> f.signedDuration(i,
                        path + ".by")).orElse(Duration.ZERO);
                case PUSH_BUNDLE -> argument = f.required(m, item.line(), path, "bundle")
                        .flatMap(i -> f.choice(i, path + ".bundle", List.of("good", "tampered", "failing-trial",
                                "partial", "repeat"), List.of(BundleKind.GOOD, BundleKind.TAMPERED,
                                BundleKind.FAILING_TRIAL, BundleKind.PARTIAL, BundleKind.REPEAT)))
                        .map(b -> b.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')).orElse("");
                case API_ABUSE -> {
                    length = f.required(m, item.line(), path, "for").flatMap(i -> f.duration(i, path + ".for"))
                            .orElse(Duration.ZERO);
                    argument = f.required(m, item.line(), path, "rate").flatMap(i -> f.integer(i, path + ".rate", 1,
                            200)).map(String::valueOf).orElse("");
                }
                case SERIAL_NOISE -> {
                    argument = f.required(m, item.line(), path, "ber")
                            .flatMap(i -> f.ratio(i, path + ".ber")).map(String::valueOf).orElse("");
                    length = f.required(m, item.line(), path, "for")
                            .flatMap(i -> f.duration(i, path + ".for")).orElse(Duration.ZERO);
                }
                case KILL_AGENT, SERVICE -> { }
            }
            Optional<CutPoint> cut = cutPoint(m, path, kind, tiers);
            boolean viaApi = ApiFaults.via(f, m, path, kind, argument);
            return Optional.of(new Fault(at.get(), kind, Optional.empty(), Optional.empty(), false, length, argument,
                    cut, item.line(), viaApi));
        }

        /** {@code at_write: N | every} and {@code writes: any | updates}, on a power cut only. */
        private Optional<CutPoint> cutPoint(Map<String, Item> m, String path, FaultKind kind, Set<Integer> tiers) {
            Item nth = m.get("at_write");
            Item scope = m.get("writes");
            if (nth == null) {
                if (scope != null) {
                    f.problem(scope.line(), path + ".writes", "only with at_write (a power cut at a storage write)");
                }
                return Optional.empty();
            }
            if (kind != FaultKind.POWER_CUT) {
                f.problem(nth.line(), path + ".at_write", "only a power-cut can fall at a storage write");
                return Optional.empty();
            }
            Optional<CutPoint.Scope> s = scope == null ? Optional.of(CutPoint.Scope.ANY) : f.choice(scope,
                    path + ".writes", List.of("any", "updates"), List.of(CutPoint.Scope.ANY, CutPoint.Scope.UPDATES));
            Optional<OptionalInt> n;
            if ("every".equals(nth.text())) {
                n = Optional.of(OptionalInt.empty());
                if (!tiers.equals(Set.of(1))) {
                    f.problem(nth.line(), path + ".at_write", "'every' (a sweep over every cut point) runs in tier 1"
                            + " only; set the scenario's tiers to [1]");
                }
            } else {
                n = f.integer(nth, path + ".at_write", 1, 1_000_000).map(OptionalInt::of);
            }
            return s.flatMap(sc -> n.map(x -> new CutPoint(sc, x)));
        }

        /** The bundle kinds a push can carry. */
        private enum BundleKind { GOOD, TAMPERED, FAILING_TRIAL, PARTIAL, REPEAT }

        private List<Expectation> expectations(Item item) {
            List<Expectation> out = new ArrayList<>();
            f.list(item, "expect").ifPresent(l -> {
                for (int i = 0; i < l.size(); i++) {
                    new ExpectationReader(f, services, tiers, api).read(l.get(i), "expect[" + i + "]").ifPresent(out::add);
                }
            });
            return out;
        }
    }
}
