package io.waveos.companion.guardian;

import java.time.Duration;

/**
 * Settings of the {@link HeartbeatWatchdog}.
 *
 * @param enabled false turns the watchdog off entirely (it never resets the device)
 * @param heartbeatPeriod the device's heartbeat period; used to count missed heartbeats
 * @param grace how long heartbeats may stop before the device is reset; more than the period
 * @param stuckHeartbeats K: this many consecutive heartbeats reporting a stuck loop reset the device
 * @param maxLoopLag a heartbeat whose loop lag is above this counts as reporting a stuck loop
 * @param bootGrace after a reset (or the Guardian's start, with {@code armAtStart}), how long the
 *     device may take to send its first heartbeat; no reset happens within it
 * @param armAtStart true: the watchdog is armed when the Guardian starts, so a device that never sends
 *     a heartbeat is reset after {@code bootGrace}; false: it arms at the first heartbeat
 * @param pulseWidth how long the reset line is held asserted
 * @param maxResets at most this many resets within {@code resetWindow}
 * @param resetWindow the sliding window of the reset rate limit
 */
public record WatchdogConfig(
        boolean enabled,
        Duration heartbeatPeriod,
        Duration grace,
        int stuckHeartbeats,
        Duration maxLoopLag,
        Duration bootGrace,
        boolean armAtStart,
        Duration pulseWidth,
        int maxResets,
        Duration resetWindow) {

    public static final WatchdogConfig DEFAULT = new WatchdogConfig(true, Duration.ofSeconds(1),
            Duration.ofSeconds(10), 3, Duration.ofSeconds(5), Duration.ofSeconds(120), true,
            Duration.ofMillis(200), 3, Duration.ofHours(1));

    public WatchdogConfig {
        Validation.positive("heartbeat-period", heartbeatPeriod);
        Validation.positive("grace", grace);
        if (grace.compareTo(heartbeatPeriod) <= 0) {
            throw new IllegalArgumentException("grace (" + grace + ") must be longer than heartbeat-period ("
                    + heartbeatPeriod + ")");
        }
        Validation.atLeast("stuck-heartbeats", stuckHeartbeats, 1);
        Validation.positive("max-loop-lag", maxLoopLag);
        Validation.positive("boot-grace", bootGrace);
        Validation.positive("pulse-width", pulseWidth);
        if (pulseWidth.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalArgumentException("pulse-width must be at most 10s, was " + pulseWidth);
        }
        Validation.atLeast("max-resets", maxResets, 1);
        Validation.positive("reset-window", resetWindow);
    }
}
