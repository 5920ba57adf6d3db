package io.waveos.agent.supervision;

import io.waveos.agent.platform.ProcessIdentity;
import io.waveos.agent.platform.ProcessLauncher;
import io.waveos.agent.platform.Signal;
import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.EventCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Crash-only recovery: stops the process groups a previous agent generation left running before this
 * one starts its own, so no service ever runs twice.
 *
 * <p>Candidates come from the process ledger (pid, pgid and start time, checked against /proc so a
 * reused pid is never mistaken for ours) and from the environment marker the launcher puts in every
 * service (which covers a child launched just before the previous agent died, before the ledger was
 * written). Each is sent its service's stop signal; those still alive at the deadline get SIGKILL.
 * Why stop rather than adopt: see docs/supervision.md ("Crash-only").
 *
 * <p>Confined to the loop thread; the agent calls {@link #check} on a timer until it is done.
 */
public final class OrphanSweep {
    private final ProcessLauncher launcher;
    private final Map<Long, Candidate> remaining = new LinkedHashMap<>();
    private boolean killed;

    /** A process believed to be ours, with the service it ran and the signal that stops it. */
    public record Candidate(String service, ProcessIdentity identity, Signal stopSignal) {
    }

    public OrphanSweep(ProcessLauncher launcher) {
        this.launcher = launcher;
    }

    /**
     * Verifies each candidate against the live process table and signals the confirmed ones.
     *
     * @return the events to emit (one per confirmed orphan)
     */
    public List<Event> begin(List<Candidate> candidates) {
        List<Event> events = new ArrayList<>();
        for (Candidate c : candidates) {
            if (remaining.containsKey(c.identity().pid())) {
                continue;
            }
            var live = launcher.identify(c.identity().pid());
            if (live.isEmpty() || live.get().startTicks() != c.identity().startTicks()) {
                continue; // gone, or the pid now belongs to somebody else: never touch it
            }
            remaining.put(c.identity().pid(), c);
            events.add(Event.of(EventCode.ORPHAN_FOUND, c.service(),
                    "left running by the previous agent generation; stopping it before starting anew",
                    "pid", c.identity().pid(), "pgid", c.identity().pgid(), "signal", c.stopSignal().name()));
            launcher.signalGroup(c.identity().pgid(), c.stopSignal());
        }
        return events;
    }

    /** Drops candidates that have exited; returns an event for each. */
    public List<Event> check() {
        List<Event> events = new ArrayList<>();
        var it = remaining.values().iterator();
        while (it.hasNext()) {
            Candidate c = it.next();
            var live = launcher.identify(c.identity().pid());
            if (live.isEmpty() || live.get().startTicks() != c.identity().startTicks()) {
                it.remove();
                // Descendants in its group go with it.
                launcher.signalGroup(c.identity().pgid(), Signal.KILL);
                events.add(Event.of(EventCode.ORPHAN_STOPPED, c.service(), killed ? "killed" : "exited after "
                        + c.stopSignal().name(), "pid", c.identity().pid()));
            }
        }
        return events;
    }

    /** The stop deadline passed: SIGKILL every remaining group. */
    public void killRemaining() {
        killed = true;
        for (Candidate c : remaining.values()) {
            launcher.signalGroup(c.identity().pgid(), Signal.KILL);
        }
    }

    public boolean done() {
        return remaining.isEmpty();
    }
}
