package io.waveos.agent.policy;

import io.waveos.agent.supervision.RunFilter;
import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.EventCode;
import io.waveos.agent.telemetry.Sample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Evaluates a {@link Policy} over samples and events in monotonic (virtual) time and returns what to
 * do as {@link PolicyCommand}s; performs no I/O. Every decision is a {@code policy.decision} event
 * among the commands; a rule in shadow mode gets the same decisions with {@code outcome=shadowed} and
 * no enforcing command.
 *
 * <p>Inputs must arrive in non-decreasing monotonic time. Conditions are evaluated at each sample and
 * each event; a {@code for} or a breaker's {@code probe_after} therefore completes at the first input
 * after it elapsed. Loop thread only; not thread-safe.
 */
public final class PolicyEngine {
    private final Policy policy;
    private final Decisions decisions;
    private final List<Trigger> triggers = new ArrayList<>();
    private final List<BudgetLadder> budgets = new ArrayList<>();
    private final List<RestartLimiter> limiters = new ArrayList<>();
    private final Optional<Rule> allowedRule;
    private final Optional<ModeAllowance> allowance;

    public PolicyEngine(Policy policy) {
        this.policy = policy;
        this.decisions = new Decisions(policy.version());
        Rule allowed = null;
        for (Rule r : policy.rules()) {
            Action a = r.action();
            if (a instanceof Action.Notify || a instanceof Action.Breaker) {
                triggers.add(new Trigger(r, decisions));
            } else if (a instanceof Action.Budget) {
                budgets.add(new BudgetLadder(r, decisions));
            } else if (a instanceof Action.RestartLimit) {
                limiters.add(new RestartLimiter(r, decisions));
            } else if (a instanceof Action.AllowedModes) {
                allowed = r;
            }
        }
        this.allowedRule = Optional.ofNullable(allowed);
        this.allowance = allowedRule.map(r -> new ModeAllowance(r.id(), (Action.AllowedModes) r.action()));
    }

    public Policy policy() {
        return policy;
    }

    /** Leaf conditions (thresholds, rates, counts) evaluated per input: the benchmark's unit of work. */
    public int conditionLeaves() {
        return triggers.stream().mapToInt(Trigger::leaves).sum();
    }

    /** One round of figures: thresholds, rates and budgets see it; then every trigger is evaluated. */
    public List<PolicyCommand> onSample(Sample sample) {
        List<PolicyCommand> out = new ArrayList<>(0);
        long now = sample.monoNanos();
        for (int i = 0; i < triggers.size(); i++) {
            Trigger t = triggers.get(i);
            t.sample(sample);
            t.evaluate(now, out);
        }
        for (int i = 0; i < budgets.size(); i++) {
            budgets.get(i).sample(sample, out);
        }
        return out;
    }

    /** One event the agent emitted, at monotonic time {@code monoNanos}: counts see it; triggers are evaluated. */
    public List<PolicyCommand> onEvent(Event event, long monoNanos) {
        List<PolicyCommand> out = new ArrayList<>(0);
        for (int i = 0; i < triggers.size(); i++) {
            Trigger t = triggers.get(i);
            t.event(event, monoNanos);
            t.evaluate(monoNanos, out);
        }
        if (event.code() == EventCode.MODE_CHANGED && allowedRule.isPresent()) {
            Object to = event.fields().get("to");
            if ("SAFE".equals(to) || "DEGRADED".equals(to)) {
                boolean safe = "SAFE".equals(to);
                String who = allowance.orElseThrow().describe(safe);
                out.add(decisions.decision(allowedRule.get(), "allowed_modes", Decisions.outcome(allowedRule.get()),
                        "in " + to + " only " + who + " run", "mode " + to, "mode", String.valueOf(to)));
            }
        }
        return out;
    }

    /**
     * The restart ladder wants to restart {@code service} after {@code backoff} ({@link
     * io.waveos.agent.supervision.RestartGate}): returns the delay to use; decisions go into {@code out}.
     */
    public Duration restartDelay(String service, long nowNanos, Duration backoff, List<PolicyCommand> out) {
        Duration delay = backoff;
        for (RestartLimiter l : limiters) {
            if (l.service().equals(service)) {
                Duration d = l.delay(nowNanos, backoff, out);
                delay = d.compareTo(delay) > 0 ? d : delay;
            }
        }
        return delay;
    }

    /** A new process of {@code service} started: its priority caps and cgroup budgets, as commands. */
    public List<PolicyCommand> onProcessStarted(String service) {
        List<PolicyCommand> out = new ArrayList<>(0);
        for (Rule r : policy.rules()) {
            if (r.action() instanceof Action.PriorityCap cap && cap.service().equals(service)) {
                String what = "priority of " + service + " capped: " + cap.nice().map(n -> "nice " + n).orElse("")
                        + cap.ioClass().map(c -> " io " + c.name().toLowerCase(java.util.Locale.ROOT)
                        + (c == Action.IoClass.BEST_EFFORT ? " " + cap.ioLevel() : "")).orElse("");
                out.add(decisions.decision(r, "priority", Decisions.outcome(r), what, "process of " + service
                        + " started", "service", service));
                if (!r.shadow()) {
                    out.add(new PolicyCommand.SetPriority(r.id(), cap));
                }
            } else if (r.action() instanceof Action.Budget b && b.service().equals(service) && !r.shadow()) {
                out.add(new PolicyCommand.PlaceInBudget(r.id(), b));
            }
        }
        return out;
    }

    /** Which services may run in SAFE and DEGRADED; empty when the policy has no enforced allowed_modes. */
    public Optional<RunFilter> runFilter() {
        return allowedRule.filter(r -> !r.shadow()).flatMap(r -> allowance.map(a -> (RunFilter) a));
    }

    /** Ends what this policy enforces over time (throttles) when it is replaced. */
    public List<PolicyCommand> release() {
        List<PolicyCommand> out = new ArrayList<>();
        for (BudgetLadder b : budgets) {
            if (b.throttled()) {
                out.add(new PolicyCommand.Unthrottle("policy-replaced", b.service()));
            }
        }
        return out;
    }
}
