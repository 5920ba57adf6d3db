package io.waveos.agent.platform;

import java.io.IOException;
import java.util.Optional;

/**
 * Per-process figures for the service collectors and resource budgets: CPU time, resident memory,
 * threads, open file descriptors.
 *
 * <p>Contract: {@link #read} reads afresh each call (three small files under {@code /proc/PID} on
 * Linux); call it once per sample per service, from the loop or a sampling worker. Figures are of the
 * one process named, not its children. A process that has gone (or never existed) is an empty
 * {@code Optional}, not an error; content that cannot be parsed is an {@link IOException} naming the
 * file.
 */
public interface ProcessMetrics {
    /** Clock ticks per second of {@link Figures#cpuTicks()} ({@code USER_HZ}, 100 on Linux). */
    long ticksPerSecond();

    /**
     * @throws IOException when a file of the process exists but cannot be read or parsed
     */
    Optional<Figures> read(long pid) throws IOException;

    /**
     * @param cpuTicks user + system CPU time since the process started, in {@link #ticksPerSecond()} ticks
     * @param rssBytes resident set size
     * @param threads number of threads
     * @param openFds open file descriptors; empty when the directory cannot be listed (another user's process)
     * @param startTicks start time after boot in ticks; a different value for the same pid means the pid was reused
     */
    record Figures(long cpuTicks, long rssBytes, int threads, Optional<Integer> openFds, long startTicks) {
        public Figures {
            if (cpuTicks < 0 || rssBytes < 0 || threads < 0 || startTicks < 0) {
                throw new IllegalArgumentException("process figures must not be negative: cpu " + cpuTicks + ", rss "
                        + rssBytes + ", threads " + threads + ", start " + startTicks);
            }
            if (openFds.isPresent() && openFds.get() < 0) {
                throw new IllegalArgumentException("open fds must not be negative: " + openFds.get());
            }
        }

        /**
         * CPU use between {@code earlier} and this reading, {@code elapsedNanos} apart, in permille of
         * one core (1000 = one core fully busy; a multi-threaded process can exceed 1000). Empty when
         * no time passed or the readings are of different processes (pid reused).
         */
        public Optional<Integer> cpuPermilleSince(Figures earlier, long elapsedNanos, long ticksPerSecond) {
            if (elapsedNanos <= 0 || earlier.startTicks != startTicks || cpuTicks < earlier.cpuTicks) {
                return Optional.empty();
            }
            double busySeconds = (cpuTicks - earlier.cpuTicks) / (double) ticksPerSecond;
            return Optional.of((int) Math.round(busySeconds * 1e12 / elapsedNanos));
        }
    }
}
