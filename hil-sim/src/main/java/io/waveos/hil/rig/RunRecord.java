package io.waveos.hil.rig;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What a rig leaves behind: where the device's files are and when the run began and ended. The
 * injected faults are kept only to draw them on the timeline; grading never reads them.
 *
 * @param logs         the agent's logs folder ({@code runs/<id>/events.jsonl} of every agent run)
 * @param origin       the scenario's time zero (the first agent start)
 * @param finalRunning the services with a live process at the end, read from the process table
 * @param evidence     files worth a link in the report (agent outputs, Guardian log, config)
 * @param clockSteps   the steps of the device's wall clock the bench made ({@code clock-jump}), in order:
 *                     the bench's calibration of the device's clock, used only to put the agent's wall
 *                     stamps back on the scenario's line ({@link #onBench})
 */
public record RunRecord(String scenario, int tier, long seed, Path work, Path logs, Instant origin, Instant end,
        List<Injected> injected, Set<String> finalRunning, List<Path> evidence, List<String> notes,
        List<ClockStep> clockSteps) {
    public RunRecord {
        clockSteps = List.copyOf(clockSteps);
        injected = List.copyOf(injected);
        finalRunning = Set.copyOf(finalRunning);
        evidence = List.copyOf(evidence);
        notes = List.copyOf(notes);
    }

    /** A fault as the rig injected it, at {@code at} after the origin. */
    public record Injected(Duration at, String label) {
    }

    /** The bench stepped the device's wall clock by {@code by} at bench time {@code at}. */
    public record ClockStep(Instant at, Duration by) {
    }

    /**
     * A wall stamp the agent wrote, on the bench's line: the latest clock step whose cumulative offset
     * puts the stamp at or after that step and not after the end applies; before any step the stamp is
     * taken as it is. Unambiguous when every step is larger than the run (the loader requires it).
     */
    public Instant onBench(Instant stamp) {
        Duration[] cumulative = new Duration[clockSteps.size()];
        Duration sum = Duration.ZERO;
        for (int i = 0; i < clockSteps.size(); i++) {
            sum = sum.plus(clockSteps.get(i).by());
            cumulative[i] = sum;
        }
        for (int i = clockSteps.size() - 1; i >= 0; i--) {
            Instant t = stamp.minus(cumulative[i]);
            if (!t.isBefore(clockSteps.get(i).at()) && !t.isAfter(end.plusSeconds(60))) {
                return t;
            }
        }
        return stamp;
    }

    public Duration length() {
        return Duration.between(origin, end);
    }
}
