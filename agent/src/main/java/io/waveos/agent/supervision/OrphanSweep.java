package io.waveos.agent.supervision;

import io.waveos.agent.config.ServiceConfig;
import io.waveos.agent.config.StopConfig;
import io.waveos.agent.platform.ProcessIdentity;
import io.waveos.agent.platform.ProcessLauncher;
import io.waveos.agent.platform.Signal;
import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.EventCode;
import java.time.Duration;
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
 * written). Each is sent its service's stop signal; those still alive after that service's stop
 * timeout get SIGKILL.
 * Why stop rather than adopt: see docs/supervision.md ("Crash-only").
 *
 * <p>Confined to the loop thread; the agent calls {@link #check} on a timer until it is done.
 */
public final class OrphanSweep {
    private final ProcessLauncher launcher;
    private final Map<Long, Candidate> remaining = new LinkedHashMap<>();
    private final Map<Long, Long> deadlines = new LinkedHashMap<>();
    private final Map<Long, Boolean> killed = new LinkedHashMap<>();

    /** A process believed to be ours, with the service it ran and how that service is stopped. */
    public record Candidate(String service, ProcessIdentity identity, Signal stopSignal, Duration stopTimeout) {
    }

    /**
     * The previous generation's processes as candidates: those named in its process ledger (stopped
     * the way their service is configured to stop) and those carrying the environment marker that no
     * ledger entry covers (a service launched just before the previous agent died, or a descendant
     * that left its service's process group).
     */
    public static List<Candidate> candidates(List<ServiceConfig> services, Map<String, ProcessIdentity> recorded,
            List<ProcessIdentity> marked) {
        List<Candidate> out = new ArrayList<>();
        for (Map.Entry<String, ProcessIdentity> e : recorded.entrySet()) {
            StopConfig stop = services.stream().filter(s -> s.name().equals(e.getKey())).findFirst()
                    .map(ServiceConfig::stop).orElse(StopConfig.defaults());
            out.add(new Candidate(e.getKey(), e.getValue(), stop.signal(), stop.timeout()));
        }
        for (ProcessIdentity p : marked) {
            boolean known = out.stream().anyMatch(c -> c.identity().pgid() == p.pgid());
            if (!known) {
                out.add(new Candidate("unrecorded", p, Signal.TERM, StopConfig.defaults().timeout()));
            }
        }
        return out;
    }

    public OrphanSweep(ProcessLauncher launcher) {
        this.launcher = launcher;
    }

    /**
     * Verifies each candidate against the live process table and signals the confirmed ones.
     *
     * @return the events to emit (one per confirmed orphan)
     */
    public List<Event> begin(List<Candidate> candidates, long nowNanos) {
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
            deadlines.put(c.identity().pid(), nowNanos + c.stopTimeout().toNanos());
            events.add(Event.of(EventCode.ORPHAN_FOUND, c.service(),
                    "left running by the previous agent generation; stopping it before starting anew",
                    "pid", c.identity().pid(), "pgid", c.identity().pgid(), "signal", c.stopSignal().name()));
            launcher.signalGroup(c.identity().pgid(), c.stopSignal());
        }
        return events;
    }

    /**
     * Drops candidates that have exited (an event for each) and SIGKILLs those whose stop timeout
     * has passed.
     */
    public List<Event> check(long nowNanos) {
        List<Event> events = new ArrayList<>();
        var it = remaining.values().iterator();
        while (it.hasNext()) {
            Candidate c = it.next();
            long pid = c.identity().pid();
            var live = launcher.identify(pid);
            if (live.isEmpty() || live.get().startTicks() != c.identity().startTicks()) {
                it.remove();
                // Descendants in its group go with it.
                launcher.signalGroup(c.identity().pgid(), Signal.KILL);
                events.add(Event.of(EventCode.ORPHAN_STOPPED, c.service(), killed.containsKey(pid)
                        ? "killed after ignoring " + c.stopSignal().name() + " for " + c.stopTimeout().toMillis() + " ms"
                        : "exited after " + c.stopSignal().name(), "pid", pid));
            } else if (nowNanos - deadlines.get(pid) >= 0 && !killed.containsKey(pid)) {
                killed.put(pid, true);
                launcher.signalGroup(c.identity().pgid(), Signal.KILL);
            }
        }
        return events;
    }

    public boolean done() {
        return remaining.isEmpty();
    }
}
