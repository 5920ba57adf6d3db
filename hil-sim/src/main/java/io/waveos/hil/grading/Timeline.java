package io.waveos.hil.grading;

import io.waveos.hil.grading.AgentRecords.Ev;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Intervals derived from the agent's events alone: when each agent run was known alive, its mode over
 * time, and when each service had a ready process. Offsets are from the run record's origin.
 *
 * <p>Rules: a run lasts from its first event until the next run's first event (the last run until the
 * end): the agent process existed, even when hung or silent. A
 * service is up from {@code service.ready} until its {@code service.exited}, {@code service.killed},
 * {@code service.stopped} or {@code service.stopping}, or until the next agent run starts (an agent that
 * died may leave it running, but nobody supervised it). A run starts in NORMAL and follows
 * {@code mode.changed}.
 */
public record Timeline(Duration length, List<Span> agent, List<Span> modes, Map<String, List<Span>> services) {
    static final Set<String> DOWN = Set.of("service.exited", "service.killed", "service.stopped", "service.stopping");

    /** {@code [from, to)} with a label (a mode name, "up"). */
    public record Span(Duration from, Duration to, String label) {
        public Duration length() {
            return to.minus(from);
        }
    }

    public static Timeline of(AgentRecords records, List<String> serviceNames, Instant origin, Instant end) {
        Duration length = Duration.between(origin, end);
        List<Span> agent = new ArrayList<>();
        List<Span> modes = new ArrayList<>();
        Map<String, List<Span>> services = new LinkedHashMap<>();
        serviceNames.forEach(n -> services.put(n, new ArrayList<>()));
        List<AgentRecords.Run> runs = records.runs();
        for (int i = 0; i < runs.size(); i++) {
            List<Ev> evs = runs.get(i).events();
            if (evs.isEmpty()) {
                continue;
            }
            Duration start = clamp(Duration.between(origin, evs.get(0).time()), length);
            boolean last = i == runs.size() - 1;
            Duration runEnd = last ? length : clamp(Duration.between(origin, runs.get(i + 1).events().isEmpty()
                    ? evs.get(evs.size() - 1).time() : runs.get(i + 1).events().get(0).time()), length);
            agent.add(new Span(start, runEnd, "run " + (i + 1)));
            String mode = "NORMAL";
            Duration modeFrom = start;
            Map<String, Duration> upSince = new LinkedHashMap<>();
            for (Ev e : evs) {
                Duration t = clamp(Duration.between(origin, e.time()), length);
                if (e.code().equals("mode.changed") && e.fields().containsKey("to")) {
                    modes.add(new Span(modeFrom, t, mode));
                    mode = e.fields().get("to");
                    modeFrom = t;
                } else if (e.code().equals("service.ready") && services.containsKey(e.subject())) {
                    upSince.putIfAbsent(e.subject(), t);
                } else if (DOWN.contains(e.code()) && upSince.containsKey(e.subject())) {
                    services.get(e.subject()).add(new Span(upSince.remove(e.subject()), t, "up"));
                }
            }
            modes.add(new Span(modeFrom, runEnd, mode));
            Duration close = runEnd;
            upSince.forEach((s, from) -> services.get(s).add(new Span(from, close, "up")));
        }
        return new Timeline(length, List.copyOf(agent), List.copyOf(modes), services);
    }

    private static Duration clamp(Duration d, Duration max) {
        return d.isNegative() ? Duration.ZERO : d.compareTo(max) > 0 ? max : d;
    }

    /** The share of the run during which {@code service} was up. */
    public double availability(String service) {
        if (length.isZero()) {
            return 0;
        }
        long up = services.getOrDefault(service, List.of()).stream().mapToLong(s -> s.length().toNanos()).sum();
        return (double) up / length.toNanos();
    }

    /** The mode at the end of the last run (NORMAL when it never changed). */
    public String finalMode() {
        return modes.isEmpty() ? "NORMAL" : modes.get(modes.size() - 1).label();
    }
}
