package io.waveos.agent.platform;

/**
 * A process as the kernel knows it: pid, process group and the start time in clock ticks since boot
 * (field 22 of /proc/PID/stat). The start time tells a live process apart from a later one that
 * reused its pid.
 */
public record ProcessIdentity(long pid, long pgid, long startTicks) {
    public ProcessIdentity {
        if (pid <= 0) {
            throw new IllegalArgumentException("pid must be positive: " + pid);
        }
        if (pgid <= 0) {
            throw new IllegalArgumentException("pgid must be positive: " + pgid);
        }
    }
}
