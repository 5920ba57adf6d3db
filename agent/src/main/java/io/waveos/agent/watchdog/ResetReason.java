package io.waveos.agent.watchdog;

/**
 * How the previous run of the agent ended, as classified at the next start. The wire name appears in
 * {@code run_meta.json} ({@code previous_stop}) and events; never rename one.
 */
public enum ResetReason {
    /** No previous run is recorded on this device. */
    FIRST_START("first_start"),
    /** The previous run stopped cleanly. */
    CLEAN_SHUTDOWN("clean_shutdown"),
    /** The previous run recorded a reboot intent, and the device rebooted. */
    PLANNED_REBOOT("planned_reboot"),
    /** The device rebooted without intent and the watchdog driver says it caused the reset. */
    WATCHDOG_RESET("watchdog_reset"),
    /** The agent died without a clean shutdown while the device kept running. */
    AGENT_CRASH("agent_crash"),
    /** The device rebooted without intent and the watchdog did not cause it: power loss or kernel crash. */
    POWER_LOSS("power_loss"),
    /** The facts do not tell; the classification's detail says what was missing or unreadable. */
    UNKNOWN("unknown");

    private final String wire;

    ResetReason(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
