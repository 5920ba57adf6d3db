package io.waveos.agent.supervision;

import io.waveos.agent.platform.Signal;
import io.waveos.agent.telemetry.Event;
import java.time.Duration;

/** What the supervisor must do for a service, in the order returned. */
public sealed interface ServiceCommand {
    /** Start the process; report the outcome as {@code Launched} or {@code LaunchFailed}. */
    record Launch() implements ServiceCommand {
    }

    record SignalGroup(long pgid, Signal signal) implements ServiceCommand {
    }

    record ArmTimer(TimerKind kind, Duration delay, long token) implements ServiceCommand {
    }

    /** Run one readiness probe attempt and report it as {@code ProbeDone(token, ...)}. */
    record Probe(long token) implements ServiceCommand {
    }

    record Emit(Event event) implements ServiceCommand {
    }

    /** The process ended and the restart policy does not restart it: it is no longer wanted. */
    record Finished() implements ServiceCommand {
    }

    /** The restart intensity was exceeded: the ladder decides (the service is now DISABLED). */
    record Escalate(String reason) implements ServiceCommand {
    }
}
