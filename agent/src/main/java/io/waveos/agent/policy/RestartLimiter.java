package io.waveos.agent.policy;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;

/**
 * One {@link Action.RestartLimit}: remembers when the service's last {@code max} restarts happen and
 * holds back a restart that would be one too many within {@code per} until the oldest leaves the
 * window. Bounded by {@code max}.
 */
final class RestartLimiter {
    private final Rule rule;
    private final Action.RestartLimit limit;
    private final Decisions decisions;
    private final ArrayDeque<Long> times = new ArrayDeque<>();

    RestartLimiter(Rule rule, Decisions decisions) {
        this.rule = rule;
        this.limit = (Action.RestartLimit) rule.action();
        this.decisions = decisions;
    }

    String service() {
        return limit.service();
    }

    /** The delay to use instead of {@code backoff}; adds the decision when it holds a restart back. */
    Duration delay(long nowNanos, Duration backoff, List<PolicyCommand> out) {
        long per = limit.per().toNanos();
        long at = nowNanos + backoff.toNanos();
        while (!times.isEmpty() && times.peekFirst() <= at - per) {
            times.removeFirst();
        }
        if (times.size() < limit.max()) {
            times.addLast(at);
            return backoff;
        }
        long allowed = times.peekFirst() + per;
        times.removeFirst();
        String inputs = limit.max() + " restarts of " + limit.service() + " within "
                + ConditionState.duration(per) + " (at most " + limit.max() + ")";
        String what = "restart of " + limit.service() + " held back " + ConditionState.duration(allowed - at)
                + ": " + inputs;
        out.add(decisions.decision(rule, "restart_hold", Decisions.outcome(rule), what, inputs, "service",
                limit.service(), "held_ms", (allowed - at) / 1_000_000));
        if (rule.shadow()) {
            times.addLast(at);
            return backoff;
        }
        times.addLast(allowed);
        return Duration.ofNanos(allowed - nowNanos);
    }
}
