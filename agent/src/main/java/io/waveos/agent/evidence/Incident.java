package io.waveos.agent.evidence;

import java.util.List;
import java.util.Objects;

/**
 * An incident worth an evidence pack.
 *
 * @param subject what it concerns (a service, a component, a rule id, {@code agent})
 * @param reason why, in an operator's words
 * @param services the services whose log tails belong in the pack; may be empty
 */
public record Incident(IncidentKind kind, String subject, String reason, List<String> services) {
    public Incident {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(reason, "reason");
        services = List.copyOf(services);
    }
}
