package io.waveos.agent.policy;

import io.waveos.agent.evidence.Incident;
import io.waveos.agent.evidence.IncidentKind;
import io.waveos.agent.mode.ModeInput;
import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.Sample;
import java.util.List;
import java.util.Locale;

/**
 * A rule whose condition fires its action: {@code notify} on each rising edge of the condition, or a
 * circuit breaker (closed -> open -> half-open -> closed). Pure: returns commands into a list.
 */
final class Trigger {
    /** A breaker's state. */
    enum BreakerState { CLOSED, OPEN, HALF_OPEN }

    private final Rule rule;
    private final ConditionState condition;
    private final Firings firings;
    private final Decisions decisions;
    private boolean was;
    private BreakerState state = BreakerState.CLOSED;
    private long openedAt;
    private long quietSince = -1;

    Trigger(Rule rule, Decisions decisions) {
        this.rule = rule;
        this.condition = ConditionState.of(rule.when().orElseThrow());
        this.firings = new Firings(rule.limit());
        this.decisions = decisions;
    }

    BreakerState state() {
        return state;
    }

    int leaves() {
        return condition.leaves();
    }

    void sample(Sample s) {
        condition.sample(s);
    }

    void event(Event e, long nowNanos) {
        condition.event(e, nowNanos);
    }

    /** Evaluates the condition at {@code nowNanos} and acts on what changed. */
    void evaluate(long nowNanos, List<PolicyCommand> out) {
        boolean holds = condition.holds(nowNanos);
        boolean rising = holds && !was;
        was = holds;
        if (rule.action() instanceof Action.Notify n) {
            if (rising) {
                notify(n, nowNanos, out);
            }
        } else {
            breaker((Action.Breaker) rule.action(), holds, rising, nowNanos, out);
        }
    }

    private String inputs(long nowNanos) {
        StringBuilder b = new StringBuilder();
        condition.explain(nowNanos, b);
        return b.toString();
    }

    private Decisions.Outcome outcome(long nowNanos) {
        return !firings.tryFire(nowNanos) ? Decisions.Outcome.SUPPRESSED : Decisions.outcome(rule);
    }

    private void notify(Action.Notify n, long nowNanos, List<PolicyCommand> out) {
        String inputs = inputs(nowNanos);
        Decisions.Outcome o = outcome(nowNanos);
        String what = "notify: " + inputs;
        out.add(decisions.decision(rule, "notify", o, what, inputs, "services", String.join(",", n.services())));
        if (o == Decisions.Outcome.FIRED) {
            out.add(new PolicyCommand.Report(new Incident(IncidentKind.POLICY_NOTIFY, rule.id(), what, n.services())));
        }
    }

    private void breaker(Action.Breaker b, boolean holds, boolean rising, long nowNanos, List<PolicyCommand> out) {
        switch (state) {
            case CLOSED -> {
                if (rising) {
                    trip(b, nowNanos, out);
                }
            }
            case OPEN -> {
                if (nowNanos - openedAt >= b.probeAfter().toNanos()) {
                    state = BreakerState.HALF_OPEN;
                    quietSince = holds ? -1 : nowNanos;
                    out.add(decisions.decision(rule, "breaker_half_open", Decisions.outcome(rule),
                            "breaker half-open after " + ConditionState.duration(b.probeAfter().toNanos())
                                    + ": probing; closes after " + ConditionState.duration(b.closeAfter().toNanos())
                                    + " without the condition", inputs(nowNanos), "state", "half_open"));
                }
            }
            case HALF_OPEN -> {
                if (holds) {
                    trip(b, nowNanos, out);
                } else {
                    quietSince = quietSince < 0 ? nowNanos : quietSince;
                    if (nowNanos - quietSince >= b.closeAfter().toNanos()) {
                        state = BreakerState.CLOSED;
                        out.add(decisions.decision(rule, "breaker_close", Decisions.outcome(rule),
                                "breaker closed: the condition stayed false for "
                                        + ConditionState.duration(b.closeAfter().toNanos()), inputs(nowNanos),
                                "state", "closed"));
                    }
                }
            }
        }
    }

    private void trip(Action.Breaker b, long nowNanos, List<PolicyCommand> out) {
        String inputs = inputs(nowNanos);
        Decisions.Outcome o = outcome(nowNanos);
        String mode = b.mode().name();
        String what = "breaker tripped into " + mode + " for at least "
                + ConditionState.duration(b.probeAfter().toNanos()) + ": " + inputs;
        BreakerState from = state;
        state = BreakerState.OPEN;
        openedAt = nowNanos;
        out.add(decisions.decision(rule, "breaker_trip", o, what, inputs, "state", "open", "from",
                from.name().toLowerCase(Locale.ROOT), "mode", mode));
        if (o == Decisions.Outcome.FIRED) {
            out.add(new PolicyCommand.OrderMode(new ModeInput.PolicyOrder(rule.id(), b.mode(),
                    "breaker tripped: " + inputs, b.probeAfter())));
            out.add(new PolicyCommand.Report(new Incident(IncidentKind.BREAKER_TRIP, rule.id(), what, List.of())));
        }
    }
}
