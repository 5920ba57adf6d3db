package io.waveos.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Watchdog integration.
 *
 * @param device the hardware watchdog device to kick; empty disables it (the default: a watchdog
 *     device must be named on purpose)
 * @param kickInterval how often the loop kicks the device (and pings systemd when it did not ask for
 *     a shorter interval)
 * @param bootStatus the sysfs file holding the watchdog's boot status bits; empty to skip
 */
public record WatchdogConfig(Optional<Path> device, Duration kickInterval, Optional<Path> bootStatus) {
    public WatchdogConfig {
        if (kickInterval.isNegative() || kickInterval.isZero()) {
            throw new IllegalArgumentException("kick interval must be positive");
        }
    }

    public static WatchdogConfig defaults() {
        return new WatchdogConfig(Optional.empty(), Duration.ofSeconds(5),
                Optional.of(Path.of("/sys/class/watchdog/watchdog0/bootstatus")));
    }
}
