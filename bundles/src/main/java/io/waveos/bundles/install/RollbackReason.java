package io.waveos.bundles.install;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Exactly which criterion failed, with the data that shows it ({@code service=web, restarts=4,
 * max=2}), for the rollback event and evidence.
 *
 * @param data in the order given; keys and values are plain text
 */
public record RollbackReason(Criterion criterion, Map<String, String> data) {
    public RollbackReason {
        Objects.requireNonNull(criterion, "criterion");
        data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
        data.forEach((k, v) -> Objects.requireNonNull(v, k));
    }

    @Override
    public String toString() {
        return criterion.code() + " " + data;
    }
}
