package io.waveos.agent.supervision;

import io.waveos.agent.config.ServiceConfig;

/**
 * Which services may run while the agent is in SAFE or DEGRADED mode. The default ({@link #CONFIG})
 * is the configuration's own rule: in SAFE only essential services and those
 * {@code allowed_in_safe_mode}; in DEGRADED everything that is not disabled. A policy's
 * {@code allowed_modes} rule replaces it. Pure; called on the loop thread.
 */
public interface RunFilter {
    RunFilter CONFIG = new RunFilter() {
        @Override
        public boolean mayRun(ServiceConfig service, boolean safe, boolean degraded) {
            return !safe || service.runsInSafeMode();
        }

        @Override
        public String why(boolean safe, boolean degraded) {
            return "SAFE mode: only essential and safe-mode services run";
        }
    };

    /** True when {@code service} may run in the mode given by the two flags. */
    boolean mayRun(ServiceConfig service, boolean safe, boolean degraded);

    /** The reason given when a service is stopped because it may not run. */
    String why(boolean safe, boolean degraded);
}
