package io.waveos.hil.report;

import java.util.List;
import java.util.Objects;

/**
 * A sweep's outcome ({@code at_write: every}): one full tier-1 run per cut point, each graded on its
 * own from the agent's records. It passes when there is at least one cut point and every one passed.
 *
 * @param scope  what the cut points count ("update write", "storage write")
 * @param shown  the cut point whose timeline the report draws (the first failing one, else a
 *               representative one)
 * @param points in order, 1..K
 */
public record Sweep(String scope, int shown, List<Point> points) {
    public Sweep {
        Objects.requireNonNull(scope, "scope");
        points = List.copyOf(points);
    }

    /**
     * One cut point.
     *
     * @param nth       1-based: the power went just before the nth operation in scope
     * @param operation that operation, as {@code CrashingStorage.mutations()} names it ({@code "rename /sim/..."})
     * @param failed    the expectations that failed, with what was observed; empty when it passed
     */
    public record Point(int nth, String operation, boolean passed, List<String> failed) {
        public Point {
            Objects.requireNonNull(operation, "operation");
            failed = List.copyOf(failed);
        }
    }

    public long recovered() {
        return points.stream().filter(Point::passed).count();
    }

    public boolean passed() {
        return !points.isEmpty() && recovered() == points.size();
    }

    /** The key figure: {@code recovered cut points: k/K}. */
    public String figure() {
        return "recovered cut points: " + recovered() + "/" + points.size();
    }
}
