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
 */
public record RunRecord(String scenario, int tier, long seed, Path work, Path logs, Instant origin, Instant end,
        List<Injected> injected, Set<String> finalRunning, List<Path> evidence, List<String> notes) {
    public RunRecord {
        injected = List.copyOf(injected);
        finalRunning = Set.copyOf(finalRunning);
        evidence = List.copyOf(evidence);
        notes = List.copyOf(notes);
    }

    /** A fault as the rig injected it, at {@code at} after the origin. */
    public record Injected(Duration at, String label) {
    }

    public Duration length() {
        return Duration.between(origin, end);
    }
}
