package io.waveos.agent.telemetry;

import java.util.Objects;
import java.util.Optional;

/**
 * What the supervisor knows of one service at sampling time; the collector adds the process figures.
 *
 * @param pid the running process, empty when none runs
 * @param restartsTotal launches after the first since the agent started
 */
public record ServiceFacts(String name, Optional<Long> pid, long restartsTotal) {
    public ServiceFacts {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(pid, "pid");
        if (restartsTotal < 0) {
            throw new IllegalArgumentException("restartsTotal must be >= 0: " + restartsTotal);
        }
    }
}
