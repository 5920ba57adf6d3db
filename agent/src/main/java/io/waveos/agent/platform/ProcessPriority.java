package io.waveos.agent.platform;

import java.io.IOException;

/**
 * CPU and I/O scheduling priority of a process group (a policy's priority caps). Only lowering is
 * asked for, which an unprivileged agent may do to its own children.
 *
 * <p>Contract: applies to the group's leader {@code pgid} and to every process (and thread) in the
 * group at the time of the call; processes forked later inherit it. A leader that has not made its
 * group yet (just launched, before setsid) is enough: what it execs and forks inherits the setting.
 * Throws when the OS refuses (no such process, permission) with its error.
 */
public interface ProcessPriority {
    /** The I/O scheduling classes an unprivileged process may set. */
    enum IoClass { BEST_EFFORT, IDLE }

    /** Sets the nice value (0 to 19) of every process in the group led by {@code pgid}. */
    void setNice(long pgid, int nice) throws IOException;

    /** Sets the I/O class and level (0 to 7, best effort only) of every process in the group. */
    void setIoPriority(long pgid, IoClass ioClass, int level) throws IOException;
}
