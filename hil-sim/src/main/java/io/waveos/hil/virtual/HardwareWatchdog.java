package io.waveos.hil.virtual;

import io.waveos.agent.platform.WatchdogDevice;
import io.waveos.agent.platform.fake.FakeWatchdogDevice;
import java.time.Duration;

/**
 * The device's hardware watchdog in tier 1, modelled as tier 2's rig models it ({@code rig.DeviceResets}):
 * the agent kicks its port (the agent's {@link FakeWatchdogDevice}); once kicking began in a boot, no
 * kick for {@link #TIMEOUT} is a bite, which power-cycles the device. The boot status the next agent
 * reads is {@link #CARD_RESET} (WDIOF_CARDRESET) after a bite and 0 after any other power cycle, as the
 * kernel's bootstatus file says, so the agent's own classifier tells {@code watchdog_reset} from
 * {@code power_loss}. Not thread-safe: the virtual clock's thread only.
 */
final class HardwareWatchdog {
    /** Tier 2's fake watchdog timeout ({@code rig.ProcessRig}). */
    static final Duration TIMEOUT = Duration.ofSeconds(8);
    /** WDIOF_CARDRESET: the last reboot was caused by the watchdog. */
    static final int CARD_RESET = 0x20;
    private final FakeWatchdogDevice device = new FakeWatchdogDevice();
    private int kicksSeen;
    private long lastKickNanos;
    private boolean kickedThisBoot;
    private int bootStatus;

    /** The port the agent kicks. */
    WatchdogDevice port() {
        return device;
    }

    /** Looks at the kicks since the last look; true when the watchdog bites now. */
    boolean bitesAt(long nowNanos) {
        if (device.kicks() != kicksSeen) {
            kicksSeen = device.kicks();
            lastKickNanos = nowNanos;
            kickedThisBoot = true;
        }
        return kickedThisBoot && nowNanos - lastKickNanos > TIMEOUT.toNanos();
    }

    /** The device power-cycled; {@code bitten}: because of this watchdog. */
    void powerCycled(boolean bitten) {
        kickedThisBoot = false;
        bootStatus = bitten ? CARD_RESET : 0;
    }

    /** What the watchdog's boot status file says in this boot. */
    int bootStatus() {
        return bootStatus;
    }
}
