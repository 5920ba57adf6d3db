package io.waveos.hil.rig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The two things that can reset a device behind the agent's back: the fake hardware watchdog (a
 * regular file the agent kicks; no kick for {@code timeout} once kicking began means a bite) and the
 * Guardian's reset line (mock GPIO; seen as {@code DEVICE_RESET} in the Guardian's log).
 */
final class DeviceResets {
    private final Path watchdog;
    private final Duration timeout;
    private final GuardianProcess guardian;
    private long guardianResets;

    DeviceResets(Path watchdog, Duration timeout, GuardianProcess guardian) {
        this.watchdog = watchdog;
        this.timeout = timeout;
        this.guardian = guardian;
    }

    /** A reset that is due now, naming its source. */
    Optional<String> check(PowerController power) throws IOException {
        long resets = guardian.resets();
        if (resets > guardianResets) {
            guardianResets = resets;
            return Optional.of("the Guardian's reset line");
        }
        long sinceStart = System.nanoTime() - power.startedAt();
        if (sinceStart < timeout.toNanos() + Duration.ofSeconds(3).toNanos()) {
            return Optional.empty();
        }
        long age = System.currentTimeMillis() - Files.getLastModifiedTime(watchdog).toMillis();
        boolean kickedThisBoot = age < sinceStart / 1_000_000L;
        if (kickedThisBoot && age > timeout.toMillis()) {
            return Optional.of("the hardware watchdog (no kick for " + age + " ms)");
        }
        return Optional.empty();
    }
}
