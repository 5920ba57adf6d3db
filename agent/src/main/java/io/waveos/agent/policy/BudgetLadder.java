package io.waveos.agent.policy;

import io.waveos.agent.telemetry.MetricKey;
import io.waveos.agent.telemetry.Sample;
import java.util.List;

/**
 * Measured enforcement of one {@link Action.Budget}, driven by the service's samples
 * ({@code rss_bytes}, {@code cpu_permille}): over budget for {@code warn_after} warns; CPU over budget
 * for {@code throttle_after} throttles (run fraction {@code 0.9 * budget / usage}, within 5..95 %);
 * over budget for {@code restart_after} restarts, then the ladder starts again. A throttle is released
 * once the usage has stayed within budget for {@code throttle_after} (hysteresis). A sample without
 * the service's figures (not running) resets the ladder.
 */
final class BudgetLadder {
    static final double MIN_RUN = 0.05;
    static final double MAX_RUN = 0.95;

    private final Rule rule;
    private final Action.Budget budget;
    private final MetricKey rss;
    private final MetricKey cpu;
    private final Decisions decisions;
    private final Firings firings;
    private long overSince = -1;
    private long underSince = -1;
    private boolean warned;
    private boolean throttled;

    BudgetLadder(Rule rule, Decisions decisions) {
        this.rule = rule;
        this.budget = (Action.Budget) rule.action();
        this.rss = MetricKey.service(budget.service(), "rss_bytes");
        this.cpu = MetricKey.service(budget.service(), "cpu_permille");
        this.decisions = decisions;
        this.firings = new Firings(rule.limit());
    }

    String service() {
        return budget.service();
    }

    boolean throttled() {
        return throttled;
    }

    void sample(Sample s, List<PolicyCommand> out) {
        Double memory = s.values().get(rss);
        Double cpuNow = s.values().get(cpu);
        long now = s.monoNanos();
        if (memory == null && cpuNow == null) {
            overSince = -1;
            underSince = -1;
            warned = false;
            throttled = false;
            return;
        }
        boolean overMemory = memory != null && budget.memoryBytes().isPresent() && memory > budget.memoryBytes().get();
        boolean overCpu = cpuNow != null && budget.cpuPermille().isPresent() && cpuNow > budget.cpuPermille().get();
        String inputs = inputs(memory, cpuNow);
        if (!overMemory && !overCpu) {
            overSince = -1;
            warned = false;
            underSince = underSince < 0 ? now : underSince;
            if (throttled && now - underSince >= budget.throttleAfter().toNanos()) {
                throttled = false;
                out.add(decisions.decision(rule, "budget_release", Decisions.outcome(rule), "within budget for "
                        + ConditionState.duration(budget.throttleAfter().toNanos()) + ": throttle released", inputs,
                        "service", budget.service()));
                if (!rule.shadow()) {
                    out.add(new PolicyCommand.Unthrottle(rule.id(), budget.service()));
                }
            }
            return;
        }
        underSince = -1;
        overSince = overSince < 0 ? now : overSince;
        long over = now - overSince;
        if (!warned && over >= budget.warnAfter().toNanos()) {
            warned = true;
            out.add(decisions.decision(rule, "budget_warn", Decisions.outcome(rule), budget.service() + " over its "
                    + "budget for " + ConditionState.duration(over), inputs, "service", budget.service()));
        }
        if (overCpu && !throttled && over >= budget.throttleAfter().toNanos()) {
            throttle(cpuNow, over, inputs, out);
        }
        if (over >= budget.restartAfter().toNanos()) {
            restart(now, over, inputs, out);
        }
    }

    private void throttle(double cpuNow, long over, String inputs, List<PolicyCommand> out) {
        throttled = true;
        double run = Math.max(MIN_RUN, Math.min(MAX_RUN, 0.9 * budget.cpuPermille().orElseThrow() / cpuNow));
        out.add(decisions.decision(rule, "budget_throttle", Decisions.outcome(rule), budget.service()
                + " over its CPU budget for " + ConditionState.duration(over) + ": throttled to run "
                + Math.round(run * 100) + " % of the time", inputs, "service", budget.service(), "run_percent",
                Math.round(run * 100)));
        if (!rule.shadow()) {
            out.add(new PolicyCommand.Throttle(rule.id(), budget.service(), run));
        }
    }

    private void restart(long now, long over, String inputs, List<PolicyCommand> out) {
        Decisions.Outcome o = firings.tryFire(now) ? Decisions.outcome(rule) : Decisions.Outcome.SUPPRESSED;
        String what = budget.service() + " over its budget for " + ConditionState.duration(over) + ": restarted";
        out.add(decisions.decision(rule, "budget_restart", o, what, inputs, "service", budget.service()));
        if (o == Decisions.Outcome.FIRED) {
            if (throttled) {
                out.add(new PolicyCommand.Unthrottle(rule.id(), budget.service()));
            }
            out.add(new PolicyCommand.Restart(rule.id(), budget.service(), "policy rule " + rule.id() + ": " + what));
        }
        overSince = -1;
        warned = false;
        throttled = false;
    }

    private String inputs(Double memory, Double cpuNow) {
        StringBuilder b = new StringBuilder();
        budget.memoryBytes().ifPresent(m -> b.append(rss.wire()).append('=')
                .append(memory == null ? "absent" : ConditionState.number(memory)).append(" (budget ").append(m)
                .append(')'));
        budget.cpuPermille().ifPresent(c -> b.append(b.length() > 0 ? "; " : "").append(cpu.wire()).append('=')
                .append(cpuNow == null ? "absent" : ConditionState.number(cpuNow)).append(" (budget ").append(c)
                .append(')'));
        return b.toString();
    }
}
