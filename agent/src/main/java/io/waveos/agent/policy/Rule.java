package io.waveos.agent.policy;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One rule: an optional condition, one action, and how it is enforced.
 *
 * @param id names the rule in every decision event; lower-case letters, digits, {@code -} and {@code _}
 * @param shadow decisions are logged as "would have fired" ({@code outcome=shadowed}) and not enforced
 * @param when the condition that fires a {@link Action#triggered() triggered} action; empty for
 *     standing actions (limits, caps, budgets, allowed modes), which apply all the time
 * @param limit how often the action may fire; empty: every time its condition becomes true
 * @param line where the rule starts in its file, for messages
 */
public record Rule(String id, boolean shadow, Optional<Condition> when, Action action, Optional<FireLimit> limit,
        int line) {
    public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    public Rule {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(when, "when");
        Objects.requireNonNull(limit, "limit");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("rule id must match " + ID.pattern());
        }
        if (action.triggered() && when.isEmpty()) {
            throw new IllegalArgumentException("a " + action.keyword() + " rule needs a 'when' condition");
        }
        if (!action.triggered() && when.isPresent()) {
            throw new IllegalArgumentException("a " + action.keyword() + " rule applies all the time; remove 'when'");
        }
    }

    /** At most {@code max} firings within any {@code per}; more are suppressed (and logged as such). */
    public record FireLimit(int max, java.time.Duration per) {
        public FireLimit {
            if (max < 1 || per.isNegative() || per.isZero()) {
                throw new IllegalArgumentException("limit needs max >= 1 and a positive per");
            }
        }
    }
}
