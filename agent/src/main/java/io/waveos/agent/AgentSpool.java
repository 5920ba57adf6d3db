package io.waveos.agent;

import io.waveos.agent.config.ForwardConfig;
import io.waveos.agent.config.SpoolConfig;
import io.waveos.agent.platform.MonotonicClock;
import io.waveos.agent.platform.OutputSink;
import io.waveos.agent.platform.Storage;
import io.waveos.agent.platform.WallClock;
import io.waveos.agent.spool.FileTarget;
import io.waveos.agent.spool.ForwardTarget;
import io.waveos.agent.spool.Forwarder;
import io.waveos.agent.spool.HttpTarget;
import io.waveos.agent.spool.Spool;
import io.waveos.agent.spool.SpoolCapture;
import io.waveos.agent.spool.SpoolCounters;
import io.waveos.agent.spool.SpoolListener;
import io.waveos.agent.spool.SpoolWriter;
import io.waveos.agent.spool.Stream;
import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.EventCode;
import java.io.IOException;
import java.util.concurrent.locks.LockSupport;
import io.waveos.agent.telemetry.SpoolFigures;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;

/**
 * The spool as the agent uses it: the sink the launcher's pipe readers write into, the agent's own
 * log lines (one per event), and the figures telemetry samples. The spool's writer runs on its own
 * thread; what it reports reaches the loop only as events through the listener.
 */
final class AgentSpool implements AutoCloseable {
    private final Optional<Spool> spool;
    /** Services' output into the spool, counting error-level lines; one for all services. */
    private final Optional<SpoolCapture> capture;
    private final SpoolConfig config;
    private volatile boolean forwarding = true;
    private final java.util.List<Forwarder> forwarders = new java.util.concurrent.CopyOnWriteArrayList<>();

    private AgentSpool(Optional<Spool> spool, SpoolConfig config) {
        this.spool = spool;
        this.capture = spool.map(s -> new SpoolCapture(s, config.maxLineBytes()));
        this.config = config;
    }

    /**
     * Starts one forwarding thread per {@code spool.forward} target. A target whose cursor file cannot
     * be read is reported and left out; the spool keeps its records for a later start.
     */
    void startForwarding(Storage storage, MonotonicClock mono, SpoolListener listener, ThreadFactory threads) {
        if (spool.isEmpty()) {
            return;
        }
        java.util.Random random = new java.security.SecureRandom();
        for (ForwardConfig f : config.forward()) {
            ForwardTarget target = f.file().<ForwardTarget>map(p -> new FileTarget(f.name(), storage, p))
                    .orElseGet(() -> new HttpTarget(f.name(), f.url().orElseThrow(), f.timeout()));
            Forwarder.Settings d = Forwarder.Settings.defaults();
            Forwarder.Settings settings = new Forwarder.Settings(f.batchRecords(), d.idlePoll(), d.backoffBase(),
                    d.backoffMax(), d.breakerFailures(), d.breakerOpen());
            try {
                Forwarder forwarder = new Forwarder(target, storage, config.dir(), settings, mono, random::nextDouble,
                        listener);
                forwarders.add(forwarder);
                threads.newThread(forwarder.loop(() -> forwarding,
                        wait -> LockSupport.parkNanos(wait.toNanos()))).start();
            } catch (IOException | RuntimeException e) {
                listener.report(Event.of(EventCode.SPOOL_FORWARD_BREAKER, "spool",
                        "forwarding target left out: cannot read its cursor: " + e.getMessage(), "target", f.name(),
                        "state", "disabled"));
            }
        }
    }

    /** Opens (recovers) the spool and starts its writer; an agent with the spool off gets an idle one. */
    static AgentSpool start(SpoolConfig config, Storage storage, WallClock wall, MonotonicClock mono,
            SpoolListener listener, ThreadFactory threads) {
        if (!config.enabled()) {
            return new AgentSpool(Optional.empty(), config);
        }
        SpoolCounters counters = new SpoolCounters();
        SpoolWriter writer = SpoolWriter.open(storage, config, wall, mono, listener, counters);
        return new AgentSpool(Optional.of(Spool.start(writer, config.queueBytes(), counters, listener, mono, threads)),
                config);
    }

    /** Where services' output goes: the spool, or nowhere when it is off (the output files remain). */
    OutputSink sink() {
        return capture.<OutputSink>map(c -> c).orElseGet(OutputSink::none);
    }

    /** The agent's own log line for an event, offered without waiting (called on the loop). */
    void agentLine(Event e) {
        spool.ifPresent(s -> {
            String line = e.code().wire() + " " + e.subject() + ": " + e.reason()
                    + (e.fields().isEmpty() ? "" : " " + e.fields());
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            if (bytes.length > config.maxLineBytes()) {
                bytes = java.util.Arrays.copyOf(bytes, config.maxLineBytes());
            }
            s.offer("agent", Stream.AGENT, 0, bytes);
        });
    }

    Optional<SpoolFigures> figures() {
        return spool.map(s -> {
            SpoolCounters.Snapshot c = s.counters().snapshot();
            long forwarded = 0;
            long duplicates = 0;
            int open = 0;
            for (Forwarder f : forwarders) {
                forwarded += f.forwarded();
                duplicates += f.duplicates();
                open += f.breaker() == Forwarder.Breaker.CLOSED ? 0 : 1;
            }
            return new SpoolFigures(c.queuedRecords(), c.writtenBytes(), c.droppedRecords(),
                    c.queueDroppedBytes() + c.writeDroppedBytes(), c.retentionDroppedRecords(), forwarded, duplicates,
                    open, capture.map(SpoolCapture::errorLines).orElse(Map.of()));
        });
    }

    /** Writes what is queued, fsyncs and stops the writer (bounded). */
    @Override
    public void close() {
        forwarding = false;
        spool.ifPresent(s -> s.close(Duration.ofSeconds(5)));
    }
}
