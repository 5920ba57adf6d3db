package io.waveos.hil.scenario;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * Where a storage-triggered power cut falls: just before the {@code nth} mutating storage operation of
 * the agent (a create, write, fsync, rename, delete, link, mode change or folder sync, on either of its
 * storage ports) counted from the fault's {@code at}, that operation and everything after it lost. The
 * power cut's {@code for} still says how long the device stays off.
 *
 * @param scope which operations count
 * @param nth   1-based; empty means every one in turn: the scenario runs once per cut point (a sweep,
 *              tier 1 only), and its key figure is the number of cut points recovered
 */
public record CutPoint(Scope scope, OptionalInt nth) {
    public CutPoint {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(nth, "nth");
        if (nth.isPresent() && nth.getAsInt() < 1) {
            throw new IllegalArgumentException("nth must be at least 1, got " + nth.getAsInt());
        }
    }

    /** Whether this cut point is a sweep over every write rather than one write. */
    public boolean sweep() {
        return nth.isEmpty();
    }

    /** A short label: "the 7th update write", "every update write". */
    public String label() {
        String what = switch (scope) {
            case ANY -> "storage write";
            case UPDATES -> "update write";
        };
        return nth.isPresent() ? "the " + ordinal(nth.getAsInt()) + " " + what : "every " + what;
    }

    private static String ordinal(int n) {
        int tens = n % 100;
        String suffix = tens >= 11 && tens <= 13 ? "th" : switch (n % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        };
        return n + suffix;
    }

    /** Which storage operations a cut point counts. */
    public enum Scope {
        /** Every mutating operation of the agent on its storage (its own files and the updater's). */
        ANY,
        /**
         * Only operations on paths under the updates folder ({@code <state>/updates}): the slot
         * installer's writes, its recovery and its commit; an install's cut points are the same in
         * every run of the same bundle.
         */
        UPDATES
    }
}
