package io.waveos.agent.platform.linux;

import io.waveos.agent.platform.ProcessPriority;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** {@link ProcessPriority} through setpriority(2) and ioprio_set(2) on the process group (JNA, ADR 0002). */
public final class LinuxProcessPriority implements ProcessPriority {
    /** ioprio_set's syscall number per {@code os.arch}. */
    private static final Map<String, Long> IOPRIO_SET = Map.of("amd64", 251L, "x86_64", 251L, "aarch64", 30L,
            "arm", 314L);
    private static final int IOPRIO_WHO_PGRP = 2;
    private static final int IOPRIO_CLASS_SHIFT = 13;

    private final Optional<Long> ioprioSet;

    public LinuxProcessPriority() {
        this.ioprioSet = Optional.ofNullable(IOPRIO_SET.get(System.getProperty("os.arch", "").toLowerCase(Locale.ROOT)));
    }

    @Override
    public void setNice(long pgid, int nice) throws IOException {
        if (LibC.setpriority(LibC.PRIO_PGRP, Math.toIntExact(pgid), nice) != 0) {
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
        if (LibC.syscall(number, IOPRIO_WHO_PGRP, pgid, prio) != 0) {
            throw new IOException("ioprio_set(PGRP, " + pgid + ", class " + cls + ") failed: errno " + LibC.errno());
        }
    }
}
