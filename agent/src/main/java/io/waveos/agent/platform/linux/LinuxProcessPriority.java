package io.waveos.agent.platform.linux;

import io.waveos.agent.platform.ProcessPriority;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@link ProcessPriority} through setpriority(2) and ioprio_set(2) (JNA, ADR 0002): first on the
 * group's leader, then on the group. The leader exists as soon as the launcher has started it, but the
 * group only once the child has called setsid(2): a cap applied right after a start finds no group yet
 * (ESRCH). The leader's setting is inherited by the program it execs and everything that forks later,
 * so ESRCH from the group call is not a failure when the leader call worked.
 */
public final class LinuxProcessPriority implements ProcessPriority {
    /** ioprio_set's syscall number per {@code os.arch}. */
    private static final Map<String, Long> IOPRIO_SET = Map.of("amd64", 251L, "x86_64", 251L, "aarch64", 30L,
            "arm", 314L);
    private static final int IOPRIO_WHO_PROCESS = 1;
    private static final int IOPRIO_WHO_PGRP = 2;
    private static final int ESRCH = 3;
    private static final int IOPRIO_CLASS_SHIFT = 13;

    private final Optional<Long> ioprioSet;

    public LinuxProcessPriority() {
        this.ioprioSet = Optional.ofNullable(IOPRIO_SET.get(System.getProperty("os.arch", "").toLowerCase(Locale.ROOT)));
    }

    @Override
    public void setNice(long pgid, int nice) throws IOException {
        if (LibC.setpriority(LibC.PRIO_PROCESS, Math.toIntExact(pgid), nice) != 0) {
            throw new IOException("setpriority(PRIO_PROCESS, " + pgid + ", " + nice + ") failed: errno " + LibC.errno());
        }
        if (LibC.setpriority(LibC.PRIO_PGRP, Math.toIntExact(pgid), nice) != 0 && LibC.errno() != ESRCH) {
            throw new IOException("setpriority(PRIO_PGRP, " + pgid + ", " + nice + ") failed: errno " + LibC.errno());
        }
    }

    @Override
    public void setIoPriority(long pgid, IoClass ioClass, int level) throws IOException {
        long number = ioprioSet.orElseThrow(() -> new IOException("ioprio_set is not known on "
                + System.getProperty("os.arch")));
        int cls = switch (ioClass) {
            case BEST_EFFORT -> 2;
            case IDLE -> 3;
        };
        long prio = ((long) cls << IOPRIO_CLASS_SHIFT) | (ioClass == IoClass.IDLE ? 0 : level);
        if (LibC.syscall(number, IOPRIO_WHO_PROCESS, pgid, prio) != 0) {
            throw new IOException("ioprio_set(PROCESS, " + pgid + ", class " + cls + ") failed: errno " + LibC.errno());
        }
        if (LibC.syscall(number, IOPRIO_WHO_PGRP, pgid, prio) != 0 && LibC.errno() != ESRCH) {
            throw new IOException("ioprio_set(PGRP, " + pgid + ", class " + cls + ") failed: errno " + LibC.errno());
        }
    }
}
