package io.waveos.agent.telemetry;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Something the agent did or saw, before the log stamps it with time, sequence and chain hash.
 *
 * @param subject what it concerns: a service name, {@code agent}, {@code mode}, ...
 * @param reason why, in words an operator understands
 * @param fields details; values are String, Long, Integer, Double or Boolean; order is kept
 */
public record Event(EventCode code, String subject, String reason, Map<String, Object> fields) {
    public Event {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(reason, "reason");
        LinkedHashMap<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            Object v = Objects.requireNonNull(e.getValue(), () -> "field " + e.getKey() + " is null");
            if (!(v instanceof String || v instanceof Long || v instanceof Integer || v instanceof Double
                    || v instanceof Boolean)) {
                throw new IllegalArgumentException("field " + e.getKey() + " has unsupported type "
                        + v.getClass().getSimpleName());
            }
            copy.put(e.getKey(), v);
        }
        fields = Collections.unmodifiableMap(copy);
    }

    public static Event of(EventCode code, String subject, String reason) {
        return new Event(code, subject, reason, Map.of());
    }

    /** Fields given as alternating keys and values, kept in that order. */
    public static Event of(EventCode code, String subject, String reason, Object... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("fields must be key/value pairs");
        }
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return new Event(code, subject, reason, m);
    }
}
