package io.waveos.agent.supervision;

import io.waveos.agent.platform.ExitStatus;
import io.waveos.agent.platform.ProcessIdentity;

/** What can happen to a service. Timer and probe inputs carry the token they were armed with. */
public sealed interface ServiceInput {
    /** Run the service (it is wanted). */
    record Start(String reason) implements ServiceInput {
    }

    /** The launcher started the process. */
    record Launched(ProcessIdentity identity) implements ServiceInput {
    }

    /** The launcher could not start the process; {@code error} is the OS error. */
    record LaunchFailed(String error) implements ServiceInput {
    }

    /**
     * The process of launch number {@code launch} exited. Launches are numbered by the machine
     * ({@link ServiceMachine#launches()}) before the process starts, so an exit that races with the
     * launcher's return is still matched to the right process.
     */
    record Exited(long launch, ExitStatus status) implements ServiceInput {
    }

    record ProbeDone(long token, boolean ready, String detail) implements ServiceInput {
    }

    record TimerFired(TimerKind kind, long token) implements ServiceInput {
    }

    /** Stop the service; {@code disable} keeps it down until {@link Enable}. */
    record Stop(String reason, boolean disable) implements ServiceInput {
    }

    /** Take a disabled service back into service with a fresh restart history (not started yet). */
    record Enable(String reason) implements ServiceInput {
    }
}
