package io.waveos.companion.guardian;

import io.waveos.companion.proto.Heartbeat;
import io.waveos.companion.proto.ResetWitness;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The Guardian's independent watchdog over the device's heartbeats. Pure: driven by heartbeats and
 * ticks carrying the monotonic time; it decides, the caller pulses the line.
 *
 * <p>States:
 * <ul>
 *   <li>{@code UNARMED}: no heartbeat seen yet and not armed at start (or disabled): never resets.
 *   <li>{@code BOOTING}: after a reset or an armed start; the device has {@code bootGrace} to send a
 *       heartbeat. This is the hysteresis that prevents reset storms: no reset within it.
 *   <li>{@code WATCHING}: heartbeats flow; resets when they stop for {@code grace} or when
 *       {@code stuckHeartbeats} consecutive heartbeats report a stuck loop.
 * </ul>
 * Every reset, whatever its cause, also passes the rate limit ({@code maxResets} per
 * {@code resetWindow}); a reset it forbids is reported once and retried at later ticks.
 *
 * <p>Not thread-safe: owned by the Guardian's loop.
 */
public final class HeartbeatWatchdog {

    /** The watchdog's states; see the class comment. */
    public enum State {
        UNARMED,
        BOOTING,
        WATCHING
    }

    private final WatchdogConfig config;
    private final GuardianEpoch epoch;
    private final Deque<Long> resetTimes = new ArrayDeque<>();
    private State state;
    /** BOOTING: when it began. WATCHING: the last heartbeat. */
    private long sinceNanos;
    private boolean heartbeatSeen;
    private long lastHeartbeatNanos;
    private int stuckInARow;
    private boolean suppressionReported;

    public HeartbeatWatchdog(WatchdogConfig config, GuardianEpoch epoch, long nowNanos) {
        this.config = config;
        this.epoch = epoch;
        this.state = config.enabled() && config.armAtStart() ? State.BOOTING : State.UNARMED;
        this.sinceNanos = nowNanos;
    }

    public State state() {
        return state;
    }

    /** When the last heartbeat arrived, if one did in this Guardian run. */
    public OptionalLong lastHeartbeatNanos() {
        return heartbeatSeen ? OptionalLong.of(lastHeartbeatNanos) : OptionalLong.empty();
    }

    /**
     * Heartbeats missed at {@code nowNanos}: whole heartbeat periods since the last heartbeat, or, while
     * booting, since the boot grace began.
     */
    public long missedHeartbeats(long nowNanos) {
        long since = switch (state) {
            case WATCHING -> lastHeartbeatNanos;
            case BOOTING -> sinceNanos;
            case UNARMED -> heartbeatSeen ? lastHeartbeatNanos : sinceNanos;
        };
        return Math.max(0, (nowNanos - since) / config.heartbeatPeriod().toNanos());
    }

    /** A heartbeat arrived. May decide a reset when it is the K-th in a row to report a stuck loop. */
    public Optional<WatchdogOutcome> onHeartbeat(long nowNanos, Heartbeat heartbeat) {
        heartbeatSeen = true;
        lastHeartbeatNanos = nowNanos;
        if (!config.enabled()) {
            return Optional.empty();
        }
        switch (state) {
            case UNARMED, BOOTING -> {
                state = State.WATCHING;
                stuckInARow = 0;
            }
            case WATCHING -> {
                // stays
            }
        }
        sinceNanos = nowNanos;
        if (!reportsStuckLoop(heartbeat)) {
            stuckInARow = 0;
            suppressionReported = false;
            return Optional.empty();
        }
        stuckInARow++;
        if (stuckInARow < config.stuckHeartbeats()) {
            return Optional.empty();
        }
        String text = String.format(Locale.ROOT,
                "%d consecutive heartbeats report a stuck event loop (last: loop_healthy=%s, loop_lag_ms=%d,"
                        + " limit %d ms)",
                stuckInARow, heartbeat.getLoopHealthy(), Integer.toUnsignedLong(heartbeat.getLoopLagMs()),
                config.maxLoopLag().toMillis());
        return reset(nowNanos, ResetReason.LOOP_STUCK, text);
    }

    /** Time passed. May decide a reset when heartbeats stopped or a boot grace ran out. */
    public Optional<WatchdogOutcome> onTick(long nowNanos) {
        return switch (state) {
            case UNARMED -> Optional.empty();
            case BOOTING -> nowNanos - sinceNanos >= config.bootGrace().toNanos()
                    ? reset(nowNanos, ResetReason.NO_HEARTBEAT_AFTER_BOOT, String.format(Locale.ROOT,
                            "no heartbeat within the boot grace of %s (%d heartbeats missed)",
                            DurationText.of(config.bootGrace()), missedHeartbeats(nowNanos)))
                    : Optional.empty();
            case WATCHING -> nowNanos - lastHeartbeatNanos >= config.grace().toNanos()
                    ? reset(nowNanos, ResetReason.HEARTBEATS_STOPPED, String.format(Locale.ROOT,
                            "no heartbeat for %s (grace %s, %d heartbeats missed)",
                            DurationText.ofNanos(nowNanos - lastHeartbeatNanos), DurationText.of(config.grace()),
                            missedHeartbeats(nowNanos)))
                    : Optional.empty();
        };
    }

    private boolean reportsStuckLoop(Heartbeat heartbeat) {
        return !heartbeat.getLoopHealthy()
                || Integer.toUnsignedLong(heartbeat.getLoopLagMs()) > config.maxLoopLag().toMillis();
    }

    private Optional<WatchdogOutcome> reset(long nowNanos, ResetReason reason, String text) {
        long window = config.resetWindow().toNanos();
        while (!resetTimes.isEmpty() && nowNanos - resetTimes.peekFirst() >= window) {
            resetTimes.removeFirst();
        }
        if (resetTimes.size() >= config.maxResets()) {
            if (suppressionReported) {
                return Optional.empty();
            }
            suppressionReported = true;
            long retryAt = resetTimes.peekFirst() + window;
            return Optional.of(new WatchdogOutcome.ResetSuppressed(reason, String.format(Locale.ROOT,
                    "%s; suppressed: %d resets within %s already, next allowed in %s", text, resetTimes.size(),
                    DurationText.of(config.resetWindow()), DurationText.ofNanos(retryAt - nowNanos)), retryAt));
        }
        ResetWitness witness = ResetWitness.newBuilder()
                .setMissedHeartbeats((int) Math.min(Integer.MAX_VALUE, missedHeartbeats(nowNanos)))
                .setGuardianResetDevice(true)
                .setPowerLoss(false)
                .setLastHeartbeatMonotonicMs(heartbeatSeen ? epoch.monotonicMs(lastHeartbeatNanos) : 0)
                .setReason(reason.name() + ": " + text)
                .setResetMonotonicMs(epoch.monotonicMs(nowNanos))
                .setGuardianBootCounter(epoch.bootCounter())
                .build();
        resetTimes.addLast(nowNanos);
        state = State.BOOTING;
        sinceNanos = nowNanos;
        stuckInARow = 0;
        suppressionReported = false;
        return Optional.of(new WatchdogOutcome.ResetDevice(reason, text, witness));
    }
}
