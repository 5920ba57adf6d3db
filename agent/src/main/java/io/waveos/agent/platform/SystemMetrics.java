package io.waveos.agent.platform;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The host's figures the Guardian's trend detector and command gate read: cumulative CPU time,
 * memory, temperature.
 *
 * <p>Contract: {@link #snapshot} reads the figures afresh each time (a few small /proc and sysfs
 * files; call it once per report interval from the loop, not per event). CPU figures are cumulative
 * since boot, so a rate needs two snapshots. A figure the host does not have is an empty
 * {@code Optional}, never 0. Content that cannot be parsed is an {@link IOException} naming the file and
 * line, never a silent 0.
 *
 * <p>Extending (issue #5 adds disk, network and per-service figures): add a component to
 * {@link Snapshot} (a record of its own per source, {@code Optional} when a host may lack it), read it
 * in the Linux adapter and give the fake twin a setter. Callers only read accessors, so only the two
 * constructors change.
 */
public interface SystemMetrics {
    /**
     * @throws IOException when a required file (the {@code cpu} line of /proc/stat, /proc/meminfo)
     *     cannot be read or parsed; the message names the file and, for content, the line
     */
    Snapshot snapshot() throws IOException;

    /**
     * One reading of the host.
     *
     * @param temperatureMillicelsius the hottest thermal zone, empty when the host has none (or none
     *     could be read)
     * @param unreadable zones or files that exist but could not be read this time, as "file: reason";
     *     they are left out of the figures above (a zone whose driver has no reading now, say)
     */
    record Snapshot(CpuTimes cpu, Memory memory, Optional<Integer> temperatureMillicelsius,
            List<String> unreadable) {
        public Snapshot {
            Objects.requireNonNull(cpu, "cpu");
            Objects.requireNonNull(memory, "memory");
            Objects.requireNonNull(temperatureMillicelsius, "temperatureMillicelsius");
            unreadable = List.copyOf(unreadable);
        }
    }

    /**
     * Cumulative CPU time of all cores since boot, in clock ticks (jiffies).
     *
     * @param busyTicks every tick not idle and not waiting for I/O
     * @param totalTicks every tick (busy, idle and I/O wait); at least {@code busyTicks}
     */
    record CpuTimes(long busyTicks, long totalTicks) {
        public CpuTimes {
            if (busyTicks < 0 || totalTicks < busyTicks) {
                throw new IllegalArgumentException("need 0 <= busy <= total ticks, were " + busyTicks + " and "
                        + totalTicks);
            }
        }

        /**
         * CPU use between {@code earlier} and this reading, 0..1000 (1000 = every core busy); empty when
         * no tick passed or the counters went backwards (a different boot).
         */
        public Optional<Integer> permilleSince(CpuTimes earlier) {
            long total = totalTicks - earlier.totalTicks;
            long busy = busyTicks - earlier.busyTicks;
            if (total <= 0 || busy < 0) {
                return Optional.empty();
            }
            return Optional.of((int) Math.min(1000, Math.round(busy * 1000.0 / total)));
        }
    }

    /**
     * @param totalBytes MemTotal
     * @param availableBytes MemAvailable (the kernel's estimate of what can be allocated without
     *     swapping); at most {@code totalBytes}
     */
    record Memory(long totalBytes, long availableBytes) {
        public Memory {
            if (totalBytes <= 0 || availableBytes < 0 || availableBytes > totalBytes) {
                throw new IllegalArgumentException("need 0 <= available <= total and total > 0, were "
                        + availableBytes + " and " + totalBytes);
            }
        }

        public long usedBytes() {
            return totalBytes - availableBytes;
        }
    }
}
