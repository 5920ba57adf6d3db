package io.waveos.agent.policy;

import io.waveos.agent.evidence.Incident;
import io.waveos.agent.mode.ModeInput;
import io.waveos.agent.telemetry.Event;
import java.util.Objects;

/** What the engine asks the {@link PolicyExecutor} to do, in the order returned. */
public sealed interface PolicyCommand {
    /** Emit an event (every decision is one). */
    record Emit(Event event) implements PolicyCommand {
        public Emit {
            Objects.requireNonNull(event, "event");
        }
    }

    /** Report an incident for an evidence pack. */
    record Report(Incident incident) implements PolicyCommand {
        public Report {
            Objects.requireNonNull(incident, "incident");
        }
    }

    /** Order a mode (a breaker tripped). */
    record OrderMode(ModeInput.PolicyOrder order) implements PolicyCommand {
        public OrderMode {
            Objects.requireNonNull(order, "order");
        }
    }

    /** Cap the priority of the service's current process group. */
    record SetPriority(String rule, Action.PriorityCap cap) implements PolicyCommand {
    }

    /** Put the service's current process in a budgeted cgroup where one is delegated (else nothing). */
    record PlaceInBudget(String rule, Action.Budget budget) implements PolicyCommand {
    }

    /** Stop and continue the service's process group so it runs {@code runFraction} of the time. */
    record Throttle(String rule, String service, double runFraction) implements PolicyCommand {
        public Throttle {
            if (!(runFraction > 0 && runFraction < 1)) {
                throw new IllegalArgumentException("runFraction must be in (0, 1)");
            }
        }
    }

    /** End a throttle: the process group runs freely (SIGCONT). */
    record Unthrottle(String rule, String service) implements PolicyCommand {
    }

    /** Stop the service's process; the supervisor starts it again. */
    record Restart(String rule, String service, String reason) implements PolicyCommand {
    }
}
