package io.waveos.agent.telemetry;

import io.waveos.agent.platform.MonotonicClock;
import io.waveos.agent.platform.ProcessMetrics;
import io.waveos.agent.platform.SystemMetrics;
import io.waveos.agent.platform.WallClock;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds one {@link Sample} per round from the system, process and event collectors, in a fixed order:
 * system figures, then each service in the order given, then the agent's. Rates ({@code cpu_permille})
 * need the previous round, so the first round has none; a figure that cannot be read is absent, and
 * the reason is in {@link Round#problems()}.
 *
 * <p>Loop thread only (it keeps the previous round's counters). Reads a few small /proc files per
 * service: see docs/benchmarks.md for its cost.
 */
public final class Sampler {
    private final SystemMetrics system;
    private final ProcessMetrics processes;
    private final EventTally tally;
    private final WallClock wall;
    private final MonotonicClock clock;

    private Optional<SystemMetrics.CpuTimes> previousCpu = Optional.empty();
    private final Map<String, Reading> previous = new HashMap<>();

    private record Reading(ProcessMetrics.Figures figures, long nanos, long pid) {
    }

    /**
     * One round's result.
     *
     * @param problems figures left out this round, as "what: why" (an unreadable file, say)
     */
    public record Round(Sample sample, List<String> problems) {
        public Round {
            Objects.requireNonNull(sample, "sample");
            problems = List.copyOf(problems);
        }
    }

    public Sampler(SystemMetrics system, ProcessMetrics processes, EventTally tally, WallClock wall,
            MonotonicClock clock) {
        this.system = Objects.requireNonNull(system, "system");
        this.processes = Objects.requireNonNull(processes, "processes");
        this.tally = Objects.requireNonNull(tally, "tally");
        this.wall = Objects.requireNonNull(wall, "wall");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Round sample(List<ServiceFacts> services, AgentFacts agent) {
        long now = clock.nanos();
        Map<MetricKey, Double> v = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        system(v, problems);
        for (ServiceFacts s : services) {
            service(s, now, v, problems);
        }
        previous.keySet().retainAll(services.stream().map(ServiceFacts::name).toList());
        agent(agent, v);
        return new Round(new Sample(wall.now(), now, v), problems);
    }

    private void system(Map<MetricKey, Double> v, List<String> problems) {
        SystemMetrics.Snapshot s;
        try {
            s = system.snapshot();
        } catch (IOException e) {
            problems.add("system figures: " + e.getMessage());
            return;
        }
        problems.addAll(s.unreadable());
        previousCpu.flatMap(p -> s.cpu().permilleSince(p)).ifPresent(p -> put(v, MetricKey.system(Metrics.CPU_PERMILLE), p));
        previousCpu = Optional.of(s.cpu());
        s.load().ifPresent(l -> {
            put(v, MetricKey.system(Metrics.LOAD1), l.one());
            put(v, MetricKey.system(Metrics.LOAD5), l.five());
            put(v, MetricKey.system(Metrics.LOAD15), l.fifteen());
        });
        put(v, MetricKey.system(Metrics.MEM_TOTAL_BYTES), s.memory().totalBytes());
        put(v, MetricKey.system(Metrics.MEM_USED_BYTES), s.memory().usedBytes());
        put(v, MetricKey.system(Metrics.MEM_AVAILABLE_BYTES), s.memory().availableBytes());
        s.temperatureMillicelsius().ifPresent(t -> put(v, MetricKey.system(Metrics.TEMP_MAX_MILLICELSIUS), t));
        for (SystemMetrics.ThermalZone z : s.zones()) {
            put(v, new MetricKey(Scope.SYSTEM, z.name(), Metrics.TEMP_MILLICELSIUS), z.millicelsius());
        }
        for (SystemMetrics.NetInterface n : s.interfaces()) {
            if (!validSubject(n.name())) {
                continue; // an interface name outside MetricKey's subject alphabet cannot be named
            }
            put(v, new MetricKey(Scope.SYSTEM, n.name(), Metrics.NET_RX_BYTES), n.rxBytes());
            put(v, new MetricKey(Scope.SYSTEM, n.name(), Metrics.NET_TX_BYTES), n.txBytes());
            put(v, new MetricKey(Scope.SYSTEM, n.name(), Metrics.NET_RX_ERRORS), n.rxErrors());
            put(v, new MetricKey(Scope.SYSTEM, n.name(), Metrics.NET_TX_ERRORS), n.txErrors());
        }
        for (SystemMetrics.Disk d : s.disks()) {
            put(v, new MetricKey(Scope.SYSTEM, d.role(), Metrics.DISK_TOTAL_BYTES), d.totalBytes());
            put(v, new MetricKey(Scope.SYSTEM, d.role(), Metrics.DISK_USED_BYTES), d.usedBytes());
            put(v, new MetricKey(Scope.SYSTEM, d.role(), Metrics.DISK_AVAILABLE_BYTES), d.availableBytes());
        }
    }

    private void service(ServiceFacts s, long now, Map<MetricKey, Double> v, List<String> problems) {
        String name = s.name();
        put(v, MetricKey.service(name, Metrics.UP), s.pid().isPresent() ? 1 : 0);
        if (s.pid().isPresent()) {
            long pid = s.pid().get();
            try {
                Optional<ProcessMetrics.Figures> f = processes.read(pid);
                if (f.isPresent()) {
                    Reading before = previous.get(name);
                    if (before != null && before.pid() == pid) {
                        f.get().cpuPermilleSince(before.figures(), now - before.nanos(), processes.ticksPerSecond())
                                .ifPresent(p -> put(v, MetricKey.service(name, Metrics.CPU_PERMILLE), p));
                    }
                    previous.put(name, new Reading(f.get(), now, pid));
                    put(v, MetricKey.service(name, Metrics.RSS_BYTES), f.get().rssBytes());
                    put(v, MetricKey.service(name, Metrics.THREADS), f.get().threads());
                    f.get().openFds().ifPresent(n -> put(v, MetricKey.service(name, Metrics.OPEN_FDS), n));
                } else {
                    previous.remove(name);
                }
            } catch (IOException e) {
                problems.add("service " + name + ": " + e.getMessage());
            }
        } else {
            previous.remove(name);
        }
        put(v, MetricKey.service(name, Metrics.RESTARTS_TOTAL), s.restartsTotal());
        Optional<EventTally.ServiceTally> t = tally.service(name);
        if (s.pid().isPresent()) {
            t.flatMap(EventTally.ServiceTally::startedNanos)
                    .ifPresent(start -> put(v, MetricKey.service(name, Metrics.UPTIME_MS), (now - start) / 1_000_000));
        }
        put(v, MetricKey.service(name, Metrics.EXITS_TOTAL), t.map(EventTally.ServiceTally::exits).orElse(0L));
        t.flatMap(EventTally.ServiceTally::lastExitCode)
                .ifPresent(c -> put(v, MetricKey.service(name, Metrics.LAST_EXIT_CODE), c));
        t.flatMap(EventTally.ServiceTally::lastExitSignal)
                .ifPresent(c -> put(v, MetricKey.service(name, Metrics.LAST_EXIT_SIGNAL), c));
        put(v, MetricKey.service(name, Metrics.ERROR_EVENTS_PER_MIN), tally.errorsLastMinute(name));
    }

    private void agent(AgentFacts a, Map<MetricKey, Double> v) {
        put(v, MetricKey.agent(Metrics.HEAP_USED_BYTES), a.heapUsedBytes());
        put(v, MetricKey.agent(Metrics.HEAP_MAX_BYTES), a.heapMaxBytes());
        put(v, MetricKey.agent(Metrics.EVENT_LOOP_LAG_MS), a.loopLagMs());
        put(v, MetricKey.agent(Metrics.EVENT_LOOP_QUEUE_DEPTH), a.loopQueueDepth());
        a.inboxQueueDepth().ifPresent(d -> put(v, MetricKey.agent(Metrics.INBOX_QUEUE_DEPTH), d));
        a.spool().ifPresent(s -> {
            put(v, MetricKey.agent(Metrics.SPOOL_QUEUE_DEPTH), s.queueDepth());
            put(v, MetricKey.agent(Metrics.SPOOL_WRITTEN_BYTES_TOTAL), s.writtenBytes());
            put(v, MetricKey.agent(Metrics.SPOOL_DROPPED_TOTAL), s.droppedRecords());
            put(v, MetricKey.agent(Metrics.SPOOL_DROPPED_BYTES_TOTAL), s.droppedBytes());
            put(v, MetricKey.agent(Metrics.SPOOL_RETENTION_DROPPED_TOTAL), s.retentionDroppedRecords());
            put(v, MetricKey.agent(Metrics.SPOOL_FORWARDED_TOTAL), s.forwardedRecords());
            put(v, MetricKey.agent(Metrics.SPOOL_FORWARD_DUPLICATES_TOTAL), s.forwardDuplicates());
            put(v, MetricKey.agent(Metrics.SPOOL_FORWARD_BREAKERS_OPEN), s.forwardBreakersOpen());
            s.errorLinesByService().forEach((service, n) -> {
                if (validSubject(service)) {
                    put(v, MetricKey.service(service, Metrics.LOG_ERRORS_TOTAL), n);
                }
            });
        });
        put(v, MetricKey.agent(Metrics.ERROR_EVENTS_PER_MIN), tally.errorsLastMinute());
        put(v, MetricKey.agent(Metrics.EVENTS_TOTAL), tally.events());
    }

    private static boolean validSubject(String s) {
        return s.matches("[A-Za-z0-9][A-Za-z0-9_.@-]{0,62}");
    }

    private static void put(Map<MetricKey, Double> v, MetricKey k, double value) {
        v.put(k, value);
    }
}
