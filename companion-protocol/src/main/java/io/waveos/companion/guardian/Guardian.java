package io.waveos.companion.guardian;

import io.waveos.companion.proto.CommandRequest;
import io.waveos.companion.proto.Envelope;
import io.waveos.companion.proto.Heartbeat;
import io.waveos.companion.proto.ResetWitness;
import io.waveos.companion.proto.SafeModeOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The reference Guardian's core: the watchdog, the command gate and the trend detector behind one
 * event interface. Pure: it is fed link events, delivered envelopes and ticks with the monotonic time,
 * and returns {@link GuardianAction}s that a thin executor ({@link GuardianRuntime}) performs in order.
 * It owns no thread, clock, file or pin.
 *
 * <p>What it does:
 * <ul>
 *   <li>Heartbeats feed the {@link HeartbeatWatchdog}; a reset is logged and its witness persisted
 *       before the line is pulsed.
 *   <li>Reset witnesses not yet reported are sent when the link comes up or the device restarts, and
 *       dropped once the device has sent a heartbeat after them (a witness is fire-and-forget on the
 *       link; a heartbeat after it shows the link carried traffic both ways since).
 *   <li>Command requests are decided by the {@link CommandGate}; the decision is logged before it is
 *       sent.
 *   <li>Health reports feed the {@link TrendDetector}; an order is logged, the safe-mode line asserted
 *       for its minimum duration, and the order sent; while it is in force it is sent again (with the
 *       remaining duration) whenever the link comes back or the device restarts.
 * </ul>
 * The link itself answers Hello, beats with TimeWitnesses, validates request ids and answers repeats
 * of a decided request.
 *
 * <p>Not thread-safe: one loop thread owns it.
 */
public final class Guardian {
    private final GuardianConfig config;
    private final GuardianEpoch epoch;
    private final HeartbeatWatchdog watchdog;
    private final CommandGate gate;
    private final TrendDetector trend;
    private final DeviceHealth health = new DeviceHealth();
    private List<ResetWitness> pendingWitnesses;
    private boolean linkUp;
    /** The pending witnesses were sent since the link last came up or the device last restarted. */
    private boolean witnessesSent;
    /** The Guardian pulled the reset line and no heartbeat arrived since. */
    private boolean guardianResetSinceHeartbeat;
    private SafeModeOrder lastOrder;
    private long safeModeUntilNanos;
    private boolean safeModeLineAsserted;

    /**
     * @param pendingWitnesses witnesses a previous run of the Guardian persisted and did not report
     * @param nowNanos the monotonic time at construction
     */
    public Guardian(GuardianConfig config, GuardianEpoch epoch, List<ResetWitness> pendingWitnesses,
            long nowNanos) {
        this.config = config;
        this.epoch = epoch;
        this.watchdog = new HeartbeatWatchdog(config.watchdog(), epoch, nowNanos);
        this.gate = new CommandGate(config.gate());
        this.trend = new TrendDetector(config.trend());
        this.pendingWitnesses = List.copyOf(pendingWitnesses);
    }

    /** The first actions of a run: log the start and release the safe-mode line. */
    public List<GuardianAction> start(long nowNanos) {
        return List.of(record(nowNanos, GuardianCode.GUARDIAN_STARTED, "", "", "Guardian run " + epoch.bootCounter()
                + " started; watchdog " + watchdog.state() + ", " + pendingWitnesses.size() + " witnesses pending",
                Map.of("pending_witnesses", Integer.toString(pendingWitnesses.size())), true),
                new GuardianAction.SetSafeModeLine(false));
    }

    /** The last actions of a run. */
    public List<GuardianAction> stop(long nowNanos, String why) {
        return List.of(record(nowNanos, GuardianCode.GUARDIAN_STOPPED, "", "", why, Map.of(), true));
    }

    /** The link to the device came up (a session began, or the device was heard again after a loss). */
    public List<GuardianAction> onLinkUp(long nowNanos, String reason) {
        List<GuardianAction> actions = new ArrayList<>();
        linkUp = true;
        witnessesSent = false;
        actions.add(record(nowNanos, GuardianCode.LINK_UP, "", "", "link up: " + reason, Map.of(), false));
        announce(nowNanos, actions);
        return List.copyOf(actions);
    }

    /** The link to the device went down (lost, or its transport closed). */
    public List<GuardianAction> onLinkDown(long nowNanos, String reason) {
        linkUp = false;
        witnessesSent = false;
        return List.of(record(nowNanos, GuardianCode.LINK_DOWN, "", "", "link down: " + reason, Map.of(), false));
    }

    /**
     * The device restarted (its Hello carried a new boot id). If the Guardian did not reset it, a
     * witness of what the Guardian saw before is added: the heartbeats it missed.
     */
    public List<GuardianAction> onPeerRestarted(long nowNanos) {
        List<GuardianAction> actions = new ArrayList<>();
        OptionalLong lastHeartbeat = watchdog.lastHeartbeatNanos();
        boolean ownReset = guardianResetSinceHeartbeat;
        actions.add(record(nowNanos, GuardianCode.DEVICE_RESTARTED, "", "", ownReset
                ? "device restarted after the Guardian reset it" : "device restarted on its own", Map.of(), false));
        if (!ownReset && lastHeartbeat.isPresent()) {
            long missed = (nowNanos - lastHeartbeat.getAsLong()) / config.watchdog().heartbeatPeriod().toNanos();
            ResetWitness witness = ResetWitness.newBuilder()
                    .setMissedHeartbeats((int) Math.min(Integer.MAX_VALUE, missed))
                    .setGuardianResetDevice(false)
                    .setPowerLoss(false)
                    .setLastHeartbeatMonotonicMs(epoch.monotonicMs(lastHeartbeat.getAsLong()))
                    .setReason("DEVICE_RESTARTED: the device restarted without a Guardian reset, "
                            + missed + " heartbeats missed before its new Hello")
                    .setResetMonotonicMs(epoch.monotonicMs(nowNanos))
                    .setGuardianBootCounter(epoch.bootCounter())
                    .build();
            pendingWitnesses = GuardianState.append(pendingWitnesses, witness);
            actions.add(new GuardianAction.SaveWitnesses(pendingWitnesses));
        }
        guardianResetSinceHeartbeat = false;
        health.forget();
        trend.forgetSamples();
        witnessesSent = false;
        announce(nowNanos, actions);
        return List.copyOf(actions);
    }

    /** An envelope from the device, as delivered by the link (authenticated, in session, once). */
    public List<GuardianAction> onEnvelope(long nowNanos, Envelope envelope) {
        List<GuardianAction> actions = new ArrayList<>();
        switch (envelope.getBodyCase()) {
            case HEARTBEAT -> onHeartbeat(nowNanos, envelope.getHeartbeat(), actions);
            case HEALTH_REPORT -> {
                health.onHealthReport(nowNanos, envelope.getHealthReport());
                for (SafeModeOrder order : trend.onHealthReport(nowNanos, envelope.getHealthReport())) {
                    orderSafeMode(nowNanos, order, actions);
                }
            }
            case COMMAND_REQUEST -> onCommandRequest(nowNanos, envelope.getCommandRequest(), actions);
            case MODE_REPORT -> health.onModeReport(nowNanos, envelope.getModeReport());
            case ERROR -> actions.add(record(nowNanos, GuardianCode.PEER_ERROR, envelope.getError().getCode().name(),
                    "", "device reported: " + envelope.getError().getText(),
                    Map.of("in_reply_to_seq", Long.toUnsignedString(envelope.getError().getInReplyToSeq())), false));
            // The link handles the handshake and answers what it does not route here; the rest travel
            // from the Guardian to the device, never back.
            case HELLO, HELLO_ACK, COMMAND_DECISION, SAFE_MODE_ORDER, RESET_WITNESS, TIME_WITNESS, BODY_NOT_SET -> {
            }
        }
        return List.copyOf(actions);
    }

    /** Time passed: the watchdog's deadlines and the end of the safe-mode line's assertion. */
    public List<GuardianAction> onTick(long nowNanos) {
        List<GuardianAction> actions = new ArrayList<>();
        watchdog.onTick(nowNanos).ifPresent(outcome -> apply(nowNanos, outcome, actions));
        if (safeModeLineAsserted && nowNanos - safeModeUntilNanos >= 0) {
            safeModeLineAsserted = false;
            actions.add(record(nowNanos, GuardianCode.SAFE_MODE_LINE_RELEASED, "", "",
                    "the minimum duration of the safe-mode order passed; safe-mode line released", Map.of(), false));
            actions.add(new GuardianAction.SetSafeModeLine(false));
        }
        return List.copyOf(actions);
    }

    /** The watchdog's state, for status and tests. */
    public HeartbeatWatchdog.State watchdogState() {
        return watchdog.state();
    }

    /** Witnesses not yet reported, oldest first. */
    public List<ResetWitness> pendingWitnesses() {
        return pendingWitnesses;
    }

    /** Whether the core wants the safe-mode line asserted. */
    public boolean safeModeLineAsserted() {
        return safeModeLineAsserted;
    }

    private void onHeartbeat(long nowNanos, Heartbeat heartbeat, List<GuardianAction> actions) {
        health.onHeartbeat(nowNanos, heartbeat);
        guardianResetSinceHeartbeat = false;
        if (witnessesSent && !pendingWitnesses.isEmpty()) {
            actions.add(record(nowNanos, GuardianCode.WITNESS_REPORTED, "", "", pendingWitnesses.size()
                    + " reset witnesses reported to the device", Map.of(), false));
            pendingWitnesses = List.of();
            actions.add(new GuardianAction.SaveWitnesses(pendingWitnesses));
        }
        watchdog.onHeartbeat(nowNanos, heartbeat).ifPresent(outcome -> apply(nowNanos, outcome, actions));
    }

    private void apply(long nowNanos, WatchdogOutcome outcome, List<GuardianAction> actions) {
        if (outcome instanceof WatchdogOutcome.ResetDevice reset) {
            // Log and persist the witness before pulsing: if the Guardian dies right after the pulse,
            // what it saw must still be reported when the device comes back.
            actions.add(record(nowNanos, GuardianCode.DEVICE_RESET, reset.reason().name(), "", reset.text(),
                    Map.of("missed_heartbeats", Integer.toString(reset.witness().getMissedHeartbeats())), true));
            pendingWitnesses = GuardianState.append(pendingWitnesses, reset.witness());
            // Sent when the device is back (its new Hello), not now: it is about to lose what it holds.
            witnessesSent = false;
            actions.add(new GuardianAction.SaveWitnesses(pendingWitnesses));
            actions.add(new GuardianAction.PulseReset(config.watchdog().pulseWidth()));
            guardianResetSinceHeartbeat = true;
        } else if (outcome instanceof WatchdogOutcome.ResetSuppressed suppressed) {
            actions.add(record(nowNanos, GuardianCode.DEVICE_RESET_SUPPRESSED, suppressed.reason().name(), "",
                    suppressed.text(), Map.of("retry_in_ms",
                            Long.toString((suppressed.retryAtNanos() - nowNanos) / 1_000_000L)), true));
        }
    }

    private void onCommandRequest(long nowNanos, CommandRequest request, List<GuardianAction> actions) {
        OptionalLong orderedUntil = lastOrder != null ? OptionalLong.of(safeModeUntilNanos) : OptionalLong.empty();
        CommandGate.Verdict verdict = gate.decide(request, nowNanos, health, orderedUntil);
        GateDecision decision = verdict.decision();
        GuardianCode code = verdict.repeated() ? GuardianCode.COMMAND_REPEATED
                : decision.approve() ? GuardianCode.COMMAND_APPROVED : GuardianCode.COMMAND_DENIED;
        // Log before answering: a decision the device acts on is always in the Guardian's log.
        actions.add(record(nowNanos, code, decision.reason().name(), decision.rule(), decision.text(),
                Map.of("request_id", request.getId(), "kind", request.getKind().name(),
                        "risk", request.getRisk().name(), "approve", Boolean.toString(decision.approve())),
                !verdict.repeated()));
        actions.add(new GuardianAction.Reply(decision.toProto()));
    }

    private void orderSafeMode(long nowNanos, SafeModeOrder order, List<GuardianAction> actions) {
        lastOrder = order;
        safeModeUntilNanos = nowNanos + config.trend().orderMinDuration().toNanos();
        safeModeLineAsserted = true;
        actions.add(record(nowNanos, GuardianCode.SAFE_MODE_ORDERED, "TREND_PREDICTION",
                "trend:" + order.getPrediction().getMetric(), order.getReason(),
                Map.of("metric", order.getPrediction().getMetric(),
                        "eta_ms", Long.toUnsignedString(order.getPrediction().getEtaMs()),
                        "min_duration_ms", Long.toUnsignedString(order.getMinDurationMs())), true));
        actions.add(new GuardianAction.SetSafeModeLine(true));
        actions.add(new GuardianAction.Send(Envelope.newBuilder().setSafeModeOrder(order).build()));
    }

    /** Link up or device restarted: repeat what the device must know (witnesses, an order in force). */
    private void announce(long nowNanos, List<GuardianAction> actions) {
        if (!linkUp) {
            return;
        }
        if (!witnessesSent && !pendingWitnesses.isEmpty()) {
            for (ResetWitness witness : pendingWitnesses) {
                actions.add(new GuardianAction.Send(Envelope.newBuilder().setResetWitness(witness).build()));
            }
            witnessesSent = true;
        }
        if (lastOrder != null && safeModeUntilNanos - nowNanos > 0) {
            long remainingMs = Math.max(1, (safeModeUntilNanos - nowNanos) / 1_000_000L);
            actions.add(new GuardianAction.Send(Envelope.newBuilder()
                    .setSafeModeOrder(lastOrder.toBuilder().setMinDurationMs(remainingMs)).build()));
        }
    }

    private GuardianAction.Record record(long nowNanos, GuardianCode code, String reason, String rule, String text,
            Map<String, String> details, boolean durable) {
        return new GuardianAction.Record(
                new GuardianEvent(code, epoch.monotonicMs(nowNanos), reason, rule, text, details, durable));
    }
}
