package io.waveos.companion.guardian;

import java.time.Duration;

/**
 * Everything that shapes the Guardian's behaviour (not its wiring: ports, pins and paths are given to
 * {@link GuardianMain} as flags).
 *
 * @param watchdog the heartbeat watchdog
 * @param gate the command gate
 * @param trend the trend detector
 * @param tickPeriod how often the loop ticks the watchdog and timers; well below the grace period
 * @param logMaxBytes the Guardian log is rotated past this size
 */
public record GuardianConfig(
        WatchdogConfig watchdog,
        GateConfig gate,
        TrendConfig trend,
        Duration tickPeriod,
        long logMaxBytes) {

    public static final GuardianConfig DEFAULT = new GuardianConfig(WatchdogConfig.DEFAULT, GateConfig.DEFAULT,
            TrendConfig.DEFAULT, Duration.ofMillis(100), 4L * 1024 * 1024);

    public GuardianConfig {
        if (watchdog == null || gate == null || trend == null) {
            throw new IllegalArgumentException("watchdog, gate and trend settings are required");
        }
        Validation.positive("tick-period", tickPeriod);
        if (tickPeriod.compareTo(watchdog.grace().dividedBy(4)) > 0) {
            throw new IllegalArgumentException("tick-period (" + tickPeriod
                    + ") must be at most a quarter of watchdog.grace (" + watchdog.grace() + ")");
        }
        if (logMaxBytes < 4096) {
            throw new IllegalArgumentException("log.max-bytes must be at least 4096, was " + logMaxBytes);
        }
    }
}
