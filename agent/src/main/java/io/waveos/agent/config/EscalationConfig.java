package io.waveos.agent.config;

import java.util.Objects;

/**
 * The escalation ladder's rungs, each configurable.
 *
 * @param optional what happens when an optional service exceeds its restart intensity
 * @param essential what happens when an essential service exceeds it (outside SAFE mode)
 * @param inSafeMode what happens when an essential service exceeds it again while in SAFE mode
 */
public record EscalationConfig(OptionalAction optional, EssentialAction essential, SafeModeAction inSafeMode) {

    /** {@code DEGRADE}: stop the service and enter DEGRADED; {@code STOP}: stop it, mode unchanged. */
    public enum OptionalAction { DEGRADE, STOP }

    /** {@code SAFE_MODE}: enter SAFE; {@code REBOOT}: controlled reboot at once. */
    public enum EssentialAction { SAFE_MODE, REBOOT }

    /** {@code REBOOT}: controlled reboot; {@code STAY}: stop the service and stay in SAFE. */
    public enum SafeModeAction { REBOOT, STAY }

    public EscalationConfig {
        Objects.requireNonNull(optional, "optional");
        Objects.requireNonNull(essential, "essential");
        Objects.requireNonNull(inSafeMode, "inSafeMode");
    }

    public static EscalationConfig defaults() {
        return new EscalationConfig(OptionalAction.DEGRADE, EssentialAction.SAFE_MODE, SafeModeAction.REBOOT);
    }
}
