package io.waveos.agent.platform;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The host's figures: cumulative CPU time, memory, temperature (the Guardian's trend detector and
 * command gate read these), load, every thermal zone, network interface counters and the use of the
 * watched file systems (telemetry's system collector reads all of them).
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
     * @param load the load averages; empty when the host has no {@code /proc/loadavg}
     * @param zones every thermal zone that could be read, in name order
     * @param interfaces network interface counters, in name order (loopback included)
     * @param disks the file systems the agent was asked to watch, by role ({@code state}, {@code logs})
     */
    record Snapshot(CpuTimes cpu, Memory memory, Optional<Integer> temperatureMillicelsius,
            List<String> unreadable, Optional<Load> load, List<ThermalZone> zones, List<NetInterface> interfaces,
            List<Disk> disks) {
        public Snapshot {
            Objects.requireNonNull(cpu, "cpu");
            Objects.requireNonNull(memory, "memory");
            Objects.requireNonNull(temperatureMillicelsius, "temperatureMillicelsius");
            Objects.requireNonNull(load, "load");
            unreadable = List.copyOf(unreadable);
            zones = List.copyOf(zones);
            interfaces = List.copyOf(interfaces);
            disks = List.copyOf(disks);
        }

        /** The Guardian health report's figures only (no load, zones, interfaces or disks). */
        public Snapshot(CpuTimes cpu, Memory memory, Optional<Integer> temperatureMillicelsius,
                List<String> unreadable) {
            this(cpu, memory, temperatureMillicelsius, unreadable, Optional.empty(), List.of(), List.of(), List.of());
        }
    }

    /** Load averages over 1, 5 and 15 minutes ({@code /proc/loadavg}). */
    record Load(double one, double five, double fifteen) {
        public Load {
            if (!(one >= 0 && five >= 0 && fifteen >= 0) || !Double.isFinite(one + five + fifteen)) {
                throw new IllegalArgumentException("load averages must be finite and >= 0");
            }
        }
    }

    /** @param name the zone's folder name, e.g. {@code thermal_zone0} */
    record ThermalZone(String name, int millicelsius) {
        public ThermalZone {
            Objects.requireNonNull(name, "name");
        }
    }

    /** Cumulative counters of one network interface since it appeared ({@code /proc/net/dev}). */
    record NetInterface(String name, long rxBytes, long txBytes, long rxErrors, long txErrors) {
        public NetInterface {
            Objects.requireNonNull(name, "name");
            if (rxBytes < 0 || txBytes < 0 || rxErrors < 0 || txErrors < 0) {
                throw new IllegalArgumentException("interface counters must not be negative: " + name);
            }
        }
    }

    /**
     * Use of one watched file system.
     *
     * @param role why it is watched ({@code state}, {@code logs})
     * @param usedBytes total minus free (including blocks reserved for root)
     * @param availableBytes what an unprivileged writer may still use
     */
    record Disk(String role, long totalBytes, long usedBytes, long availableBytes) {
        public Disk {
            Objects.requireNonNull(role, "role");
            if (totalBytes < 0 || usedBytes < 0 || availableBytes < 0) {
                throw new IllegalArgumentException("disk figures must not be negative: " + role);
            }
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
