package io.waveos.bundles.install;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the agent saw of a trial so far, for {@link TrialJudge}.
 *
 * @param sinceRestart monotonic time since the services were restarted from the new slot
 * @param services the bundle's services (and any in {@code mustBeReady}) by name
 * @param safeMode whether the device entered safe mode since the restart
 */
public record TrialObservation(Duration sinceRestart, Map<String, Service> services, boolean safeMode) {
    public TrialObservation {
        Objects.requireNonNull(sinceRestart, "sinceRestart");
        services = Collections.unmodifiableMap(new TreeMap<>(services));
    }

    /**
     * One service during the trial.
     *
     * @param ready ready now
     * @param restarts restarts since the trial began
     * @param failed its restart ladder ran out (it gave up)
     */
    public record Service(boolean ready, int restarts, boolean failed) {
        public Service {
            if (restarts < 0) {
                throw new IllegalArgumentException("restarts must not be negative");
            }
        }
    }
}
