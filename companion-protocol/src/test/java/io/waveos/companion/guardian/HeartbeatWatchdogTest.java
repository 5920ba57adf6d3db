package io.waveos.companion.guardian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.companion.proto.AgentMode;
import io.waveos.companion.proto.Heartbeat;
import io.waveos.companion.proto.ResetWitness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HeartbeatWatchdogTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000 * MS;
    private static final GuardianEpoch EPOCH = new GuardianEpoch(7, 0);
    /** 1 s beats, 10 s grace, 3 stuck, 5 s lag, 120 s boot grace, armed at start, 3 resets per hour. */
    private static final WatchdogConfig CONFIG = WatchdogConfig.DEFAULT;

    private static final Heartbeat HEALTHY = Heartbeat.newBuilder().setMode(AgentMode.AGENT_MODE_NORMAL)
            .setLoopHealthy(true).setLoopLagMs(3).setSummary("ok").build();
    private static final Heartbeat STUCK = HEALTHY.toBuilder().setLoopHealthy(false).setSummary("loop late").build();

    /** Feeds a healthy heartbeat every second from {@code from} to {@code to} inclusive, ticking in between. */
    private static List<WatchdogOutcome> beat(HeartbeatWatchdog watchdog, long from, long to) {
        List<WatchdogOutcome> outcomes = new ArrayList<>();
        for (long t = from; t <= to; t += S) {
            watchdog.onHeartbeat(t, HEALTHY).ifPresent(outcomes::add);
            watchdog.onTick(t).ifPresent(outcomes::add);
        }
        return outcomes;
    }

    private record Timed(long nanos, WatchdogOutcome outcome) {
    }

    /** Ticks every 100 ms over ({@code from}, {@code to}]; returns the reset times, collects every outcome. */
    private static List<Long> resetTimes(HeartbeatWatchdog watchdog, long from, long to, List<Timed> all) {
        List<Long> times = new ArrayList<>();
        for (long t = from + 100 * MS; t <= to; t += 100 * MS) {
            Optional<WatchdogOutcome> outcome = watchdog.onTick(t);
            if (outcome.isPresent()) {
                all.add(new Timed(t, outcome.get()));
                if (outcome.get() instanceof WatchdogOutcome.ResetDevice) {
                    times.add(t);
                }
            }
        }
        return times;
    }

    @Test
    void resetsTheDeviceWhenHeartbeatsStopForTheGracePeriodAndNotBefore() {
        HeartbeatWatchdog watchdog = new HeartbeatWatchdog(CONFIG, EPOCH, 0);
        assertEquals(List.of(), beat(watchdog, 0, 5 * S));

        assertEquals(Optional.empty(), watchdog.onTick(15 * S - 1));
        WatchdogOutcome outcome = watchdog.onTick(15 * S).orElseThrow();

        WatchdogOutcome.ResetDevice reset = assertInstanceOf(WatchdogOutcome.ResetDevice.class, outcome);
        assertEquals(ResetReason.HEARTBEATS_STOPPED, reset.reason());
        ResetWitness witness = reset.witness();
        assertEquals(10, witness.getMissedHeartbeats());
        assertTrue(witness.getGuardianResetDevice());
        assertFalse(witness.getPowerLoss());
        assertEquals(5_000, witness.getLastHeartbeatMonotonicMs());
        assertEquals(15_000, witness.getResetMonotonicMs());
        assertEquals(7, witness.getGuardianBootCounter());
        assertTrue(witness.getReason().startsWith("HEARTBEATS_STOPPED: no heartbeat for 10 s"), witness.getReason());
        assertEquals(HeartbeatWatchdog.State.BOOTING, watchdog.state());
    }

    @Test
    void resetsTheDeviceWhenConsecutiveHeartbeatsReportAStuckLoop() {
        HeartbeatWatchdog watchdog = new HeartbeatWatchdog(CONFIG, EPOCH, 0);
        beat(watchdog, 0, 2 * S);

        assertEquals(Optional.empty(), watchdog.onHeartbeat(3 * S, STUCK));
        assertEquals(Optional.empty(), watchdog.onHeartbeat(4 * S, STUCK));
        WatchdogOutcome outcome = watchdog.onHeartbeat(5 * S, STUCK).orElseThrow();

        WatchdogOutcome.ResetDevice reset = assertInstanceOf(WatchdogOutcome.ResetDevice.class, outcome);
        assertEquals(ResetReason.LOOP_STUCK, reset.reason());
        assertEquals(0, reset.witness().getMissedHeartbeats());
        assertEquals(5_000, reset.witness().getLastHeartbeatMonotonicMs());
        assertTrue(reset.text().contains("3 consecutive heartbeats"), reset.text());
    }

    @Test
    void countsALoopLagAboveTheLimitAsStuckButNotOneAtTheLimit() {
        HeartbeatWatchdog watchdog = new HeartbeatWatchdog(CONFIG, EPOCH, 0);
        Heartbeat atLimit = HEALTHY.toBuilder().setLoopLagMs(5_000).build();
        Heartbeat above = HEALTHY.toBuilder().setLoopLagMs(5_001).build();
        for (int i = 0; i < 5; i++) {
            assertEquals(Optional.empty(), watchdog.onHeartbeat(i * S, atLimit));
        }
        assertEquals(Optional.empty(), watchdog.onHeartbeat(5 * S, above));
        assertEquals(Optional.empty(), watchdog.onHeartbeat(6 * S, above));
        WatchdogOutcome outcome = watchdog.onHeartbeat(7 * S, above).orElseThrow();
        assertEquals(ResetReason.LOOP_STUCK, outcome.reason());
    }

    @Test
    void aHealthyHeartbeatBetweenStuckOnesStartsTheCountAgain() {
        HeartbeatWatchdog watchdog = new HeartbeatWatchdog(CONFIG, EPOCH, 0);
        List<Optional<WatchdogOutcome>> outcomes = new ArrayList<>();
        Heartbeat[] pattern = {STUCK, STUCK, HEALTHY, STUCK, STUCK, HEALTHY, STUCK, STUCK};
        for (int i = 0; i < pattern.length; i++) {
            outcomes.add(watchdog.onHeartbeat(i * S, pattern[i]));
        }
        assertTrue(outcomes.stream().allMatch(Optional::isEmpty), outcomes.toString());
    }

    @Test
    void doesNotResetAgainWithinTheBootGraceAfterAReset() {
        HeartbeatWatchdog watchdog = new HeartbeatWatchdog(CONFIG, EPOCH, 0);
        beat(watchdog, 0, 5 * S);
        List<Timed> outcomes = new ArrayList<>();
        List<Long> resets = resetTimes(watchdog, 5 * S, 15 * S + 120 * S - 100 * MS, outcomes);
        assertEquals(List.of(15 * S), resets, "one reset, then quiet through the boot grace");

        WatchdogOutcome second = watchdog.onTick(135 * S).orElseThrow();
        assertEquals(ResetReason.NO_HEARTBEAT_AFTER_BOOT, second.reason());
        WatchdogOutcome.ResetDevice reset = assertInstanceOf(WatchdogOutcome.ResetDevice.class, second);
        assertEquals(120, reset.witness().getMissedHeartbeats());
        assertEquals(5_000, reset.witness().getLastHeartbeatMonotonicMs());
    }

    @Test
    void returnsToWatchingWhenTheDeviceBeatsAgainAfterAReset() {
        HeartbeatWatchdog watchdog = new HeartbeatWatchdog(CONFIG, EPOCH, 0);
        beat(watchdog, 0, 5 * S);
        watchdog.onTick(15 * S).orElseThrow();
        assertEquals(List.of(), beat(watchdog, 40 * S, 60 * S));
        assertEquals(HeartbeatWatchdog.State.WATCHING, watchdog.state());

        assertEquals(Optional.empty(), watchdog.onTick(70 * S - 1));
        assertEquals(ResetReason.HEARTBEATS_STOPPED, watchdog.onTick(70 * S).orElseThrow().reason());
    }

    @Test
    void rateLimitsResetsOfADeadDeviceAndReportsTheSuppressionOncePerEpisode() {
        HeartbeatWatchdog watchdog = new HeartbeatWatchdog(CONFIG, EPOCH, 0);
        beat(watchdog, 0, 5 * S);
        List<Timed> outcomes = new ArrayList<>();

        List<Long> resets = resetTimes(watchdog, 5 * S, 2 * 3600 * S, outcomes);

        // 15 s, then every boot grace (120 s) until 3 within the hour; the first leaves the window at 3615 s.
        assertEquals(List.of(15 * S, 135 * S, 255 * S, 3615 * S, 3735 * S, 3855 * S), resets);
        List<Timed> suppressed = outcomes.stream()
                .filter(o -> o.outcome() instanceof WatchdogOutcome.ResetSuppressed).toList();
        assertEquals(List.of(375 * S, 3975 * S), suppressed.stream().map(Timed::nanos).toList(),
                "one report per episode, not one per tick");
        WatchdogOutcome.ResetSuppressed first = (WatchdogOutcome.ResetSuppressed) suppressed.get(0).outcome();
        assertEquals(ResetReason.NO_HEARTBEAT_AFTER_BOOT, first.reason());
        assertEquals(3615 * S, first.retryAtNanos());
        assertTrue(first.text().contains("3 resets within 1 h"), first.text());
    }

    @Test
    void anUnarmedWatchdogLeavesADeviceThatNeverBeatAlone() {
        WatchdogConfig unarmed = new WatchdogConfig(true, CONFIG.heartbeatPeriod(), CONFIG.grace(),
                CONFIG.stuckHeartbeats(), CONFIG.maxLoopLag(), CONFIG.bootGrace(), false, CONFIG.pulseWidth(),
                CONFIG.maxResets(), CONFIG.resetWindow());
        HeartbeatWatchdog watchdog = new HeartbeatWatchdog(unarmed, EPOCH, 0);
        List<Timed> outcomes = new ArrayList<>();
        assertEquals(List.of(), resetTimes(watchdog, 0, 600 * S, outcomes));
        assertEquals(HeartbeatWatchdog.State.UNARMED, watchdog.state());

        beat(watchdog, 600 * S, 601 * S);
        assertEquals(ResetReason.HEARTBEATS_STOPPED, watchdog.onTick(611 * S).orElseThrow().reason());
    }

    @Test
    void aWatchdogArmedAtStartResetsADeviceThatNeverBeatsAfterTheBootGrace() {
        HeartbeatWatchdog watchdog = new HeartbeatWatchdog(CONFIG, EPOCH, 0);
        List<Timed> outcomes = new ArrayList<>();
        assertEquals(List.of(120 * S), resetTimes(watchdog, 0, 120 * S, outcomes));
        WatchdogOutcome.ResetDevice reset = (WatchdogOutcome.ResetDevice) outcomes.get(0).outcome();
        assertEquals(ResetReason.NO_HEARTBEAT_AFTER_BOOT, reset.reason());
        assertEquals(0, reset.witness().getLastHeartbeatMonotonicMs(), "no heartbeat ever");
    }

    @Test
    void aDisabledWatchdogNeverResets() {
        WatchdogConfig disabled = new WatchdogConfig(false, CONFIG.heartbeatPeriod(), CONFIG.grace(),
                CONFIG.stuckHeartbeats(), CONFIG.maxLoopLag(), CONFIG.bootGrace(), true, CONFIG.pulseWidth(),
                CONFIG.maxResets(), CONFIG.resetWindow());
        HeartbeatWatchdog watchdog = new HeartbeatWatchdog(disabled, EPOCH, 0);
        for (int i = 0; i < 5; i++) {
            assertEquals(Optional.empty(), watchdog.onHeartbeat(i * S, STUCK));
        }
        List<Timed> outcomes = new ArrayList<>();
        assertEquals(List.of(), resetTimes(watchdog, 5 * S, 900 * S, outcomes));
        assertEquals(List.of(), outcomes);
    }

    @Test
    void rejectsAGraceNotLongerThanTheHeartbeatPeriod() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new WatchdogConfig(true, Duration.ofSeconds(2), Duration.ofSeconds(2), 3, Duration.ofSeconds(1),
                        Duration.ofSeconds(60), true, Duration.ofMillis(100), 3, Duration.ofHours(1)));
        assertTrue(e.getMessage().contains("grace"), e.getMessage());
    }
}
