package io.waveos.agent;

import io.waveos.agent.config.EvidenceConfig;
import io.waveos.agent.config.TelemetryConfig;
import io.waveos.agent.evidence.EvidenceArchive;
import io.waveos.agent.evidence.Incidents;
import io.waveos.agent.platform.MonotonicClock;
import io.waveos.agent.platform.ProcessIdentity;
import io.waveos.agent.supervision.ServiceMachine;
import io.waveos.agent.platform.ProcessMetrics;
import io.waveos.agent.platform.Scheduler;
import io.waveos.agent.platform.Storage;
import io.waveos.agent.platform.SystemMetrics;
import io.waveos.agent.platform.WallClock;
import io.waveos.agent.platform.Worker;
import io.waveos.agent.telemetry.AgentFacts;
import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.EventCode;
import io.waveos.agent.telemetry.EventSink;
import io.waveos.agent.telemetry.EventTally;
import io.waveos.agent.telemetry.MetricsCsv;
import io.waveos.agent.telemetry.Sample;
import io.waveos.agent.telemetry.Sampler;
import io.waveos.agent.telemetry.ServiceFacts;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Telemetry and evidence on the agent's loop: the sampling timer, the buffer handed to
 * {@code metrics.csv} every write interval, the in-memory metrics window for evidence packs, the
 * scheduled pack and the incident triggers from events. Built by the composition root, attached with
 * {@link Agent#attachTelemetry}; every method but the worker jobs runs on the loop.
 *
 * <p>Failure: a figure that cannot be read is left out of the sample and reported once as
 * {@code telemetry.problem} (again when it recovers); a failed {@code metrics.csv} write keeps its
 * samples for the next write, at most {@link #MAX_UNWRITTEN} of them (older ones are dropped and counted).
 */
public final class AgentTelemetry {
    static final int MAX_UNWRITTEN = 10_000;

    /** Ports. {@code heapUsed}/{@code heapMax} read the JVM's heap. */
    public record Ports(SystemMetrics system, ProcessMetrics processes, Storage storage, Worker worker, WallClock wall,
            MonotonicClock clock, Scheduler scheduler, Consumer<LoopEvent> loop, LongSupplier heapUsed,
            LongSupplier heapMax) {
    }

    /** What the agent tells the sampler each round (read on the loop). */
    record Facts(List<ServiceFacts> services, int loopBacklog, Optional<Integer> inboxDepth,
            Optional<io.waveos.agent.telemetry.SpoolFigures> spool) {
        static Facts of(List<ServiceMachine> machines, int loopBacklog, Optional<Integer> inboxDepth,
                Optional<io.waveos.agent.telemetry.SpoolFigures> spool) {
            List<ServiceFacts> facts = new ArrayList<>();
            for (ServiceMachine m : machines) {
                facts.add(new ServiceFacts(m.name(), m.process().map(ProcessIdentity::pid),
                        Math.max(0, m.launches() - 1)));
            }
            return new Facts(facts, loopBacklog, inboxDepth, spool);
        }
    }

    /** {@code evidence export} on the control socket: the reply is completed once the pack is written. */
    static void export(Optional<AgentTelemetry> telemetry, EventSink events, LoopEvent.Control c) {
        Optional<EvidenceArchive> archive = telemetry.flatMap(AgentTelemetry::evidence);
        if (archive.isEmpty()) {
            c.reply().complete("error evidence packs are not configured\n");
            return;
        }
        events.emit(Event.of(EventCode.OPERATOR_COMMAND, "evidence", "evidence export", "operator", c.operator()));
        archive.get().export(c.operator(), c.reply()::complete);
    }

    private final TelemetryConfig config;
    private final Ports ports;
    private final EventTally tally;
    private final Sampler sampler;
    private final Optional<MetricsCsv> csv;
    private final Optional<EvidenceArchive> evidence;
    private final Duration windowLength;
    private final ArrayDeque<Sample> window = new ArrayDeque<>();
    private final List<Sample> buffer = new ArrayList<>();
    /** Samples whose write failed; guarded by itself, touched by the worker. */
    private final ArrayDeque<Sample> unwritten = new ArrayDeque<>();
    private EventSink events = e -> { };
    private List<String> problems = List.of();
    private long dropped;

    /**
     * @param metricsFile the run's {@code metrics.csv}; empty: samples go to listeners only
     * @param evidenceConfig the {@code evidence} section; packs are made when it is enabled
     * @param run this run's facts for packs
     */
    public AgentTelemetry(TelemetryConfig config, Ports ports, Optional<Path> metricsFile,
            EvidenceConfig evidenceConfig, EvidenceArchive.Run run) {
        this.config = config;
        this.ports = ports;
        this.tally = new EventTally(ports.clock());
        this.sampler = new Sampler(ports.system(), ports.processes(), tally, ports.wall(), ports.clock());
        this.csv = config.enabled()
                ? metricsFile.map(f -> new MetricsCsv(ports.storage(), f, config.maxFileBytes(), config.keepFiles()))
                : Optional.empty();
        this.windowLength = evidenceConfig.metricsWindow();
        this.evidence = evidenceConfig.enabled()
                ? Optional.of(new EvidenceArchive(evidenceConfig, run, new EvidenceArchive.Ports(ports.storage(),
                        ports.worker(), ports.wall(), ports.clock(), e -> ports.loop().accept(new LoopEvent.Emit(e))),
                        this::window))
                : Optional.empty();
    }

    /** Where incidents go: the evidence archive, or nowhere when packs are off. */
    public Incidents incidents() {
        return evidence.<Incidents>map(a -> a).orElse(incident -> { });
    }

    /** The evidence archive, when packs are on. */
    public Optional<EvidenceArchive> evidence() {
        return evidence;
    }

    /** Called by {@link Agent#attachTelemetry}: the agent's sink (events go through its observers too). */
    void bind(EventSink agentEvents) {
        this.events = agentEvents;
    }

    void observe(Event e) {
        tally.observe(e);
        evidence.ifPresent(a -> a.observe(e));
    }

    void start() {
        if (config.enabled()) {
            armSample();
            ports.scheduler().schedule(config.writeInterval(), () -> ports.loop().accept(new LoopEvent.MetricsWriteTick()));
        }
        evidence.ifPresent(a -> a.schedule().ifPresent(this::armEvidence));
    }

    private void armSample() {
        long due = ports.clock().nanos() + config.sampleInterval().toNanos();
        ports.scheduler().schedule(config.sampleInterval(), () -> ports.loop().accept(new LoopEvent.SampleTick(due)));
    }

    private void armEvidence(Duration every) {
        ports.scheduler().schedule(every, () -> ports.loop().accept(new LoopEvent.EvidenceTick()));
    }

    /** One sampling round; the sample for the agent's listeners. */
    Sample sampleTick(long dueNanos, Facts facts) {
        long lagMs = Math.max(0, ports.clock().nanos() - dueNanos) / 1_000_000;
        armSample();
        Sampler.Round round = sampler.sample(facts.services(), new AgentFacts(lagMs, facts.loopBacklog(),
                facts.inboxDepth(), ports.heapUsed().getAsLong(), ports.heapMax().getAsLong(), facts.spool()));
        if (!round.problems().equals(problems)) {
            events.emit(Event.of(EventCode.TELEMETRY_PROBLEM, "telemetry", round.problems().isEmpty()
                    ? "every figure is readable again" : "figures left out: " + String.join("; ", round.problems())));
            problems = round.problems();
        }
        Sample s = round.sample();
        window.addLast(s);
        while (!window.isEmpty() && s.monoNanos() - window.peekFirst().monoNanos() > windowLength.toNanos()) {
            window.removeFirst();
        }
        if (csv.isPresent()) {
            buffer.add(s);
        }
        return s;
    }

    /** The metrics window for an evidence pack (a copy; loop thread). */
    List<Sample> window() {
        return List.copyOf(window);
    }

    void writeTick() {
        ports.scheduler().schedule(config.writeInterval(), () -> ports.loop().accept(new LoopEvent.MetricsWriteTick()));
        if (csv.isEmpty() || buffer.isEmpty()) {
            return;
        }
        List<Sample> batch = List.copyOf(buffer);
        buffer.clear();
        ports.worker().run(() -> write(batch));
    }

    void evidenceTick() {
        evidence.ifPresent(a -> {
            a.report(new io.waveos.agent.evidence.Incident(io.waveos.agent.evidence.IncidentKind.SCHEDULED, "agent",
                    "scheduled pack", List.of()));
            a.schedule().ifPresent(this::armEvidence);
        });
    }

    /** At shutdown, on the loop: writes what is buffered now (the worker may not run again). */
    void flushNow() {
        if (csv.isPresent() && !buffer.isEmpty()) {
            List<Sample> batch = List.copyOf(buffer);
            buffer.clear();
            write(batch);
        }
    }

    /** Worker (or the loop at shutdown): append the batch after any earlier failed ones. */
    private void write(List<Sample> batch) {
        MetricsCsv file = csv.orElseThrow();
        synchronized (unwritten) {
            unwritten.addAll(batch);
            while (unwritten.size() > MAX_UNWRITTEN) {
                unwritten.removeFirst();
                dropped++;
            }
            try {
                file.write(List.copyOf(unwritten));
                unwritten.clear();
            } catch (IOException e) {
                ports.loop().accept(new LoopEvent.Emit(Event.of(EventCode.TELEMETRY_PROBLEM, "telemetry",
                        "cannot write " + file.file() + " (samples kept for the next write): " + e.getMessage(),
                        "unwritten_samples", unwritten.size(), "dropped_samples", dropped)));
            }
        }
    }
}
