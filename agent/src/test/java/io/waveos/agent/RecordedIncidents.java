package io.waveos.agent;

import io.waveos.agent.evidence.Incident;
import io.waveos.agent.evidence.Incidents;
import java.util.ArrayDeque;
import java.util.List;

/**
 * A test {@link Incidents} port that only remembers the last {@link #KEEP} incidents.
 */
final class RecordedIncidents implements Incidents {
    static final int KEEP = 100;

    private final ArrayDeque<Incident> recent = new ArrayDeque<>();

    @Override
    public void report(Incident incident) {
        if (recent.size() == KEEP) {
            recent.removeFirst();
        }
        recent.addLast(incident);
    }

    List<Incident> recent() {
        return List.copyOf(recent);
    }
}
