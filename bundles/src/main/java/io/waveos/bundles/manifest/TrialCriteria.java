package io.waveos.bundles.manifest;

import java.time.Duration;
import java.util.List;

/**
 * What a newly activated slot must show before it is committed.
 *
 * @param soak how long every criterion must hold, counted from the moment the services were restarted
 * @param mustBeReady services that must be ready at the end of the soak (and not have failed during it)
 * @param maxRestarts the most restarts, summed over the bundle's services, allowed during the soak
 */
public record TrialCriteria(Duration soak, List<String> mustBeReady, int maxRestarts) {
    public TrialCriteria {
        mustBeReady = List.copyOf(mustBeReady);
        if (soak.isNegative()) {
            throw new IllegalArgumentException("soak must not be negative");
        }
        if (maxRestarts < 0) {
            throw new IllegalArgumentException("maxRestarts must not be negative");
        }
    }
}
