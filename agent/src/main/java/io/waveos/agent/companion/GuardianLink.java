package io.waveos.agent.companion;

import io.waveos.agent.config.CompanionConfig;
import io.waveos.agent.config.CompanionConfig.Approval;
import io.waveos.agent.platform.MonotonicClock;
import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.EventCode;
import io.waveos.agent.telemetry.EventSink;
import io.waveos.companion.link.LinkConfig;
import io.waveos.companion.link.LinkOutput;
import io.waveos.companion.link.LinkSession;
import io.waveos.companion.link.LinkState;
import io.waveos.companion.proto.CommandDecision;
import io.waveos.companion.proto.CommandKind;
import io.waveos.companion.proto.CommandRequest;
import io.waveos.companion.proto.Envelope;
import io.waveos.companion.proto.HealthReport;
import io.waveos.companion.proto.Risk;
import io.waveos.companion.proto.SafeModeOrder;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The agent's end of the Guardian link, on the agent's loop thread: feeds received bytes and ticks
 * to the {@link LinkSession}, performs its outputs, asks approvals, sends health reports, and turns the
 * Guardian's messages into agent actions and events.
 *
 * <p>Heartbeats are built by the session's beat source from {@link #tick}, which the loop calls on a
 * timer: a hung loop sends none, and the Guardian notices.
 */
public final class GuardianLink implements Approvals {
    private final CompanionConfig config;
    private final LinkSession session;
    private final MonotonicClock clock;
    private final EventSink events;
    private final Consumer<byte[]> transmit;
    private final Supplier<HealthReport> health;
    private final Listener listener;
    private final String requestPrefix;
    private final java.util.Optional<ReceiveFloor> floor;
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private long requestNumber;
    private long lastHealthNanos;
    private boolean healthSent;

    /** What the Guardian asks of the agent. Called on the loop thread. */
    public interface Listener {
        void safeModeOrdered(String reason, Duration minDuration);
    }

    private record Pending(Approval action, Consumer<Decision> callback) {
    }

    /**
     * @param transmit writes bytes to the transport (reports its own failures)
     * @param requestPrefix makes request ids unique across boots (e.g. the run id)
     */
    public GuardianLink(CompanionConfig config, LinkSession session, MonotonicClock clock, EventSink events,
            Consumer<byte[]> transmit, Supplier<HealthReport> health, Listener listener, String requestPrefix) {
        this(config, session, clock, events, transmit, health, listener, requestPrefix, java.util.Optional.empty());
    }

    /** @param floor where the replay floor is saved before acting on an order (authenticated links) */
    public GuardianLink(CompanionConfig config, LinkSession session, MonotonicClock clock, EventSink events,
            Consumer<byte[]> transmit, Supplier<HealthReport> health, Listener listener, String requestPrefix,
            java.util.Optional<ReceiveFloor> floor) {
        this.floor = floor;
        this.config = config;
        this.session = session;
        this.clock = clock;
        this.events = events;
        this.transmit = transmit;
        this.health = health;
        this.listener = listener;
        this.requestPrefix = requestPrefix;
    }

    public void start() {
        perform(session.start(clock.nanos()));
    }

    /** Bytes from the transport (delivered to the loop by the transport's reader). */
    public void onBytes(byte[] bytes) {
        perform(session.onBytes(bytes, 0, bytes.length, clock.nanos()));
    }

    /** The loop's link timer: heartbeats, retransmits, loss detection, health reports. */
    public void tick() {
        long now = clock.nanos();
        perform(session.tick(now));
        if (session.state() == LinkState.UP && (!healthSent || now - lastHealthNanos >= config.healthEvery().toNanos())) {
            healthSent = true;
            lastHealthNanos = now;
            perform(session.send(Envelope.newBuilder().setHealthReport(health.get()), now));
        }
    }

    /** The transport closed (peer gone, cable pulled); the session notices the silence by itself. */
    public void transportClosed(String reason) {
        events.emit(Event.of(EventCode.COMPANION_LINK, "companion", "transport closed: " + reason, "state",
                session.state().name()));
    }

    public LinkState state() {
        return session.state();
    }

    /** Approval requests sent and waiting for the Guardian's decision (the {@code guardian_link} queue). */
    public int pendingRequests() {
        return pending.size();
    }

    /**
     * How often the owner must call {@link #tick}: half the shorter of the heartbeat period and the
     * link's retransmit interval (spec 11.8), so beats and retransmits are never late by more than that.
     */
    public Duration tickInterval() {
        Duration retransmit = LinkConfig.DEFAULTS.retransmitInterval();
        Duration shorter = config.heartbeat().compareTo(retransmit) < 0 ? config.heartbeat() : retransmit;
        return shorter.dividedBy(2);
    }

    @Override
    public boolean gatesSafeExit() {
        return true;
    }

    @Override
    public void ask(Approval action, String reason, Consumer<Decision> onDecision) {
        String id = requestPrefix + "-" + (++requestNumber);
        events.emit(Event.of(EventCode.APPROVAL_REQUESTED, "companion", reason, "action", action.name(), "id", id));
        if (session.state() != LinkState.UP) {
            unavailable(action, "the Guardian link is " + session.state(), onDecision);
            return;
        }
        pending.put(id, new Pending(action, onDecision));
        CommandRequest request = CommandRequest.newBuilder().setId(id).setKind(kind(action))
                .putParameters("reason", reason.length() > 200 ? reason.substring(0, 200) : reason)
                .setRisk(risk(action)).build();
        perform(session.request(Envelope.newBuilder().setCommandRequest(request), clock.nanos()));
    }

    private void unavailable(Approval action, String why, Consumer<Decision> onDecision) {
        CompanionConfig.Unavailable policy = config.whenUnavailable().get(action);
        boolean approved = policy == CompanionConfig.Unavailable.ALLOW;
        String reason = why + "; companion.when_unavailable." + action.name().toLowerCase(java.util.Locale.ROOT)
                + " is " + policy.name().toLowerCase(java.util.Locale.ROOT);
        events.emit(Event.of(EventCode.APPROVAL_DECIDED, "companion", reason, "action", action.name(), "approved",
                approved, "by", "policy"));
        onDecision.accept(new Decision(approved, reason));
    }

    private void perform(List<LinkOutput> outputs) {
        for (LinkOutput o : outputs) {
            if (o instanceof LinkOutput.Transmit t) {
                transmit.accept(t.wire());
            } else if (o instanceof LinkOutput.Deliver d) {
                deliver(d.env());
            } else if (o instanceof LinkOutput.StateChanged s) {
                events.emit(Event.of(EventCode.COMPANION_LINK, "companion", s.reason(), "from", s.from().name(), "to",
                        s.to().name()));
            } else if (o instanceof LinkOutput.RequestAnswered a) {
                answered(a.id(), a.answer());
            } else if (o instanceof LinkOutput.RequestFailed f) {
                Pending p = pending.remove(f.id());
                if (p != null) {
                    unavailable(p.action(), "the Guardian did not answer: " + f.reason(), p.callback());
                }
            } else if (o instanceof LinkOutput.PeerReset r) {
                events.emit(Event.of(EventCode.COMPANION_LINK, "companion", "the Guardian restarted", "old_boot_id",
                        r.oldBootId(), "new_boot_id", r.newBootId()));
            } else if (o instanceof LinkOutput.HandshakeRefused r) {
                events.emit(Event.of(EventCode.COMPANION_ERROR, "companion", "handshake refused: " + r.reason()));
            } else if (o instanceof LinkOutput.NotSent n) {
                events.emit(Event.of(EventCode.COMPANION_ERROR, "companion", n.body() + " not sent: " + n.reason()));
            }
        }
    }

    private void answered(String id, Envelope answer) {
        Pending p = pending.remove(id);
        if (p == null) {
            return;
        }
        if (!answer.hasCommandDecision()) {
            unavailable(p.action(), "the Guardian answered " + answer.getBodyCase() + " instead of a decision",
                    p.callback());
            return;
        }
        CommandDecision d = answer.getCommandDecision();
        String reason = (d.getApprove() ? "approved" : "denied") + " by the Guardian's rule " + d.getRule() + ": "
                + d.getReasonText() + " (" + d.getReason() + ")";
        events.emit(Event.of(EventCode.APPROVAL_DECIDED, "companion", reason, "action", p.action().name(), "approved",
                d.getApprove(), "by", "guardian", "rule", d.getRule(), "id", id));
        p.callback().accept(new Decision(d.getApprove(), reason));
    }

    private void deliver(Envelope env) {
        switch (env.getBodyCase()) {
            case SAFE_MODE_ORDER -> {
                SafeModeOrder order = env.getSafeModeOrder();
                if (floor.isPresent()) {
                    try {
                        floor.get().save(session.lastAcceptedCounter());
                    } catch (java.io.IOException e) {
                        // Acting anyway is the safe choice: SAFE mode is what the Guardian asked for.
                        events.emit(Event.of(EventCode.COMPANION_ERROR, "companion", "cannot save the replay floor "
                                + "before obeying a safe-mode order: " + e.getMessage()));
                    }
                }
                listener.safeModeOrdered(order.getReason(), Duration.ofMillis(order.getMinDurationMs()));
            }
            case RESET_WITNESS -> events.emit(Event.of(EventCode.COMPANION_RESET_WITNESS, "companion",
                    "the Guardian reports what it saw before the last reset: " + env.getResetWitness().getReason(),
                    "missed_heartbeats", env.getResetWitness().getMissedHeartbeats(), "guardian_reset_device",
                    env.getResetWitness().getGuardianResetDevice(), "power_loss",
                    env.getResetWitness().getPowerLoss()));
            case ERROR -> events.emit(Event.of(EventCode.COMPANION_ERROR, "companion", "the Guardian reports an error: "
                    + env.getError().getCode() + " " + env.getError().getText()));
            default -> {
                // Time witnesses and other informational messages need no action from the agent.
            }
        }
    }

    private static CommandKind kind(Approval a) {
        return switch (a) {
            case REBOOT -> CommandKind.COMMAND_KIND_REBOOT;
            case INSTALL -> CommandKind.COMMAND_KIND_INSTALL;
            case COMMIT -> CommandKind.COMMAND_KIND_COMMIT;
            case WATCHDOG_DISARM -> CommandKind.COMMAND_KIND_WATCHDOG_DISARM;
            case SAFE_MODE_EXIT -> CommandKind.COMMAND_KIND_SAFE_MODE_EXIT;
        };
    }

    private static Risk risk(Approval a) {
        return switch (a) {
            case REBOOT, INSTALL, WATCHDOG_DISARM -> Risk.RISK_HIGH;
            case COMMIT, SAFE_MODE_EXIT -> Risk.RISK_MEDIUM;
        };
    }
}
