package io.waveos.agent.policy;

import io.waveos.agent.config.ServiceConfig;
import io.waveos.agent.supervision.RunFilter;

/**
 * An {@link Action.AllowedModes} rule as the supervisor's {@link RunFilter}: essential services always
 * run; in SAFE also those allowed by the config or listed under {@code safe}; in DEGRADED only those
 * listed under {@code degraded} (everything when the key is absent).
 */
final class ModeAllowance implements RunFilter {
    private final Action.AllowedModes allowed;
    private final String rule;

    ModeAllowance(String rule, Action.AllowedModes allowed) {
        this.rule = rule;
        this.allowed = allowed;
    }

    @Override
    public boolean mayRun(ServiceConfig service, boolean safe, boolean degraded) {
        if (service.essential()) {
            return true;
        }
        if (safe) {
            return service.runsInSafeMode() || allowed.safe().contains(service.name());
        }
        return !degraded || allowed.degraded().map(l -> l.contains(service.name())).orElse(true);
    }

    @Override
    public String why(boolean safe, boolean degraded) {
        return (safe ? "SAFE" : "DEGRADED") + " mode: not allowed by policy rule " + rule + " (allowed_modes)";
    }

    /** The services named for a mode, for decisions. */
    String describe(boolean safe) {
        return safe ? "essential, allowed_in_safe_mode and " + String.join(",", allowed.safe())
                : allowed.degraded().map(l -> "essential and " + String.join(",", l)).orElse("every service");
    }
}
