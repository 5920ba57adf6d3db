package io.waveos.agent.platform;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Starts, signals and identifies the service processes the agent supervises.
 *
 * <p>Every launched process is the leader of a new session and process group, so signalling its group
 * reaches its descendants. The launcher never signals a process group it did not create or that
 * {@link #identify} did not confirm.
 */
public interface ProcessLauncher {

    /**
     * Starts a process. {@code onExit} is called exactly once, from any thread, when the process
     * (the group leader) has exited and been reaped.
     *
     * @throws IOException when the OS refuses to start it (missing command, permission, ...); the
     *     message carries the OS error
     */
    RunningProcess start(LaunchSpec spec, ExitListener onExit) throws IOException;

    /** Sends {@code signal} to the whole process group led by {@code pgid}. False if no such group. */
    boolean signalGroup(long pgid, Signal signal);

    /** The identity of a live process, from /proc; empty when no such process is alive. */
    Optional<ProcessIdentity> identify(long pid);

    /**
     * Live processes whose environment carries {@code marker} (the agent puts one in every service's
     * environment), so a restarted agent finds children it launched but had not yet recorded.
     */
    List<ProcessIdentity> findMarked(String marker);

    /** Called once when a launched process has exited. */
    @FunctionalInterface
    interface ExitListener {
        void exited(ExitStatus status);
    }

    /** A started process. */
    interface RunningProcess {
        ProcessIdentity identity();
    }
}
