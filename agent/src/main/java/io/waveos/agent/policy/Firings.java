package io.waveos.agent.policy;

import java.util.ArrayDeque;
import java.util.Optional;

/** A rule's {@code limit}: at most {@code max} firings within any {@code per}. Bounded by {@code max}. */
final class Firings {
    private final Optional<Rule.FireLimit> limit;
    private final ArrayDeque<Long> times = new ArrayDeque<>();

    Firings(Optional<Rule.FireLimit> limit) {
        this.limit = limit;
    }

    /** True, and counted, when one more firing at {@code nowNanos} is within the limit. */
    boolean tryFire(long nowNanos) {
        if (limit.isEmpty()) {
            return true;
        }
        long per = limit.get().per().toNanos();
        while (!times.isEmpty() && times.peekFirst() <= nowNanos - per) {
            times.removeFirst();
        }
        if (times.size() >= limit.get().max()) {
            return false;
        }
        times.addLast(nowNanos);
        return true;
    }
}
