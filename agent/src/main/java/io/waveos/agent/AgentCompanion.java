package io.waveos.agent;

import io.waveos.agent.companion.GuardianLink;
import io.waveos.agent.companion.HealthSampler;
import io.waveos.agent.companion.SafeLineWatch;
import io.waveos.agent.mode.Mode;
import io.waveos.agent.platform.SafeModeLine;
import io.waveos.agent.supervision.Supervisor;
import io.waveos.agent.telemetry.EventSink;
import io.waveos.companion.proto.AgentMode;
import io.waveos.companion.proto.Heartbeat;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The agent's side of the Guardian companion, on the loop thread: the link's ticks (and the loop's lag
 * they measure), the heartbeat and health figures built from loop-owned state, and the polling of the
 * Guardian's safe-mode line. Without a Guardian every part is absent and costs nothing.
 */
final class AgentCompanion {
    /** A loop later than this for its link tick reports itself unhealthy in its heartbeat. */
    static final Duration LOOP_LAG_LIMIT = Duration.ofSeconds(1);
    /** How often the Guardian's safe-mode line is read. */
    static final Duration SAFE_LINE_POLL = Duration.ofSeconds(1);

    private final Agent.Ports ports;
    private final Supervisor supervisor;
    private final Supplier<Mode> mode;
    private final LongSupplier restarts;
    private Optional<GuardianLink> guardian = Optional.empty();
    private Optional<SafeLineWatch> safeLine = Optional.empty();
    private long loopLagNanos;

    AgentCompanion(Agent.Ports ports, Supervisor supervisor, Supplier<Mode> mode, LongSupplier restarts) {
        this.ports = ports;
        this.supervisor = supervisor;
        this.mode = mode;
        this.restarts = restarts;
    }

    void attachGuardian(GuardianLink link) {
        this.guardian = Optional.of(link);
    }

    void attachSafeModeLine(SafeModeLine line, EventSink events) {
        this.safeLine = Optional.of(new SafeLineWatch(line, events));
    }

    Optional<GuardianLink> guardian() {
        return guardian;
    }

    /** Starts the link and its ticks (the line is polled separately, before any service starts). */
    void start() {
        guardian.ifPresent(g -> {
            g.start();
            tick(ports.clock().nanos());
        });
    }

    /** One link tick, due at {@code dueNanos}: measures the loop's lag and schedules the next one. */
    void tick(long dueNanos) {
        long now = ports.clock().nanos();
        loopLagNanos = Math.max(0, now - dueNanos);
        guardian.ifPresent(g -> {
            g.tick();
            Duration every = g.tickInterval();
            long next = now + every.toNanos();
            ports.scheduler().schedule(every, () -> ports.loop().submit(new LoopEvent.CompanionTick(next)));
        });
    }

    /** Reads the safe-mode line, hands a change to {@code onChange}, and schedules the next read. */
    void pollSafeLine(Consumer<Boolean> onChange) {
        safeLine.ifPresent(watch -> {
            watch.poll().ifPresent(onChange);
            ports.scheduler().schedule(SAFE_LINE_POLL, () -> ports.loop().submit(new LoopEvent.SafeLinePoll()));
        });
    }

    void onBytes(byte[] bytes) {
        guardian.ifPresent(g -> g.onBytes(bytes));
    }

    void closed(String reason) {
        guardian.ifPresent(g -> g.transportClosed(reason));
    }

    Heartbeat heartbeat() {
        long running = supervisor.services().stream().filter(m -> m.process().isPresent()).count();
        return Heartbeat.newBuilder().setMode(switch (mode.get()) {
            case NORMAL -> AgentMode.AGENT_MODE_NORMAL;
            case DEGRADED -> AgentMode.AGENT_MODE_DEGRADED;
            case SAFE -> AgentMode.AGENT_MODE_SAFE;
        }).setLoopHealthy(loopLagNanos < LOOP_LAG_LIMIT.toNanos())
                .setLoopLagMs((int) Math.min(Integer.MAX_VALUE, loopLagNanos / 1_000_000))
                .setSummary(running + "/" + supervisor.services().size() + " services running").build();
    }

    HealthSampler.AgentFigures healthFigures() {
        Map<String, Integer> queues = new LinkedHashMap<>();
        queues.put("event_loop", ports.loop().backlog());
        guardian.ifPresent(g -> queues.put("guardian_link", g.pendingRequests()));
        return new HealthSampler.AgentFigures(restarts.getAsLong(), supervisor.failuresLastMinute(), queues);
    }
}
