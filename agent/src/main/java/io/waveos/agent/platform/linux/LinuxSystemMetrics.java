package io.waveos.agent.platform.linux;

import io.waveos.agent.platform.SystemMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.FileStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@link SystemMetrics} from {@code proc/stat} (the aggregate {@code cpu} line), {@code proc/meminfo}
 * (MemTotal, MemAvailable) and {@code sys/class/thermal/thermal_zone*}{@code /temp} (millidegrees
 * Celsius, the maximum over zones), all under a root folder: {@code /} on a device, a crafted tree in
 * tests.
 *
 * <p>CPU: busy = user + nice + system + irq + softirq + steal; total = busy + idle + iowait. Guest
 * time is already counted in user and nice (proc(5)), so it is not added again. Kernels before 2.6.11
 * lack some columns; at least the first four (user, nice, system, idle) are required.
 *
 * <p>A thermal zone that disappears while being read is skipped; one whose {@code temp} cannot be read
 * (some drivers answer ENODATA while their device sleeps) is left out and named in
 * {@link SystemMetrics.Snapshot#unreadable()}. Load averages ({@code proc/loadavg}) and interface
 * counters ({@code proc/net/dev}) are optional: a host without them has none. Disk use of the watched
 * paths comes from their file store ({@code statvfs}); a path that cannot be examined is named in
 * {@code unreadable}. Thread-safe (stateless).
 */
public final class LinuxSystemMetrics implements SystemMetrics {
    private final Path stat;
    private final Path meminfo;
    private final Path thermal;
    private final Path loadavg;
    private final Path netdev;
    private final Map<String, Path> watched;

    /** Reads the host's own files; no file systems watched. */
    public LinuxSystemMetrics() {
        this(Path.of("/"), Map.of());
    }

    /** Reads the host's own files and the use of the file systems holding {@code watched} (role to path). */
    public LinuxSystemMetrics(Map<String, Path> watched) {
        this(Path.of("/"), watched);
    }

    /** Reads {@code root/proc/stat}, {@code root/proc/meminfo} and {@code root/sys/class/thermal}. */
    public LinuxSystemMetrics(Path root) {
        this(root, Map.of());
    }

    /**
     * Reads {@code root/proc/stat}, {@code meminfo}, {@code loadavg}, {@code net/dev} and
     * {@code root/sys/class/thermal}, and the use of the file systems holding the {@code watched} paths.
     */
    public LinuxSystemMetrics(Path root, Map<String, Path> watched) {
        this.stat = root.resolve("proc/stat");
        this.meminfo = root.resolve("proc/meminfo");
        this.thermal = root.resolve("sys/class/thermal");
        this.loadavg = root.resolve("proc/loadavg");
        this.netdev = root.resolve("proc/net/dev");
        this.watched = new TreeMap<>(watched);
    }

    @Override
    public Snapshot snapshot() throws IOException {
        List<String> unreadable = new ArrayList<>();
        List<ThermalZone> zones = new ArrayList<>();
        Optional<Integer> temperature = temperature(unreadable, zones);
        zones.sort(Comparator.comparing(ThermalZone::name));
        return new Snapshot(cpu(), memory(), temperature, unreadable, HostCounters.load(loadavg),
                zones, HostCounters.interfaces(netdev), disks(unreadable));
    }

    private List<Disk> disks(List<String> unreadable) {
        List<Disk> out = new ArrayList<>();
        for (Map.Entry<String, Path> e : watched.entrySet()) {
            try {
                FileStore store = Files.getFileStore(e.getValue());
                long total = store.getTotalSpace();
                out.add(new Disk(e.getKey(), total, Math.max(0, total - store.getUnallocatedSpace()),
                        store.getUsableSpace()));
            } catch (IOException ex) {
                unreadable.add(e.getValue() + ": " + ex.getMessage());
            }
        }
        return out;
    }

    private CpuTimes cpu() throws IOException {
        List<String> lines = Files.readAllLines(stat, StandardCharsets.US_ASCII);
        for (int i = 0; i < lines.size(); i++) {
            String[] f = lines.get(i).trim().split("\\s+");
            if (!f[0].equals("cpu")) {
                continue;
            }
            int line = i + 1;
            if (f.length < 5) {
                throw malformed(stat, line, "expected at least 4 counters after 'cpu'", lines.get(i));
            }
            long[] c = new long[8];
            for (int k = 0; k < c.length && k + 1 < f.length; k++) {
                c[k] = counter(stat, line, f[k + 1], lines.get(i));
            }
            // user nice system idle iowait irq softirq steal (guest, guest_nice are inside user, nice)
            long busy = c[0] + c[1] + c[2] + c[5] + c[6] + c[7];
            long total = busy + c[3] + c[4];
            return new CpuTimes(busy, total);
        }
        throw malformed(stat, 0, "no aggregate 'cpu' line", "");
    }

    private Memory memory() throws IOException {
        List<String> lines = Files.readAllLines(meminfo, StandardCharsets.US_ASCII);
        Optional<Long> total = Optional.empty();
        Optional<Long> available = Optional.empty();
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i);
            if (text.startsWith("MemTotal:")) {
                total = Optional.of(kibibytes(i + 1, text));
            } else if (text.startsWith("MemAvailable:")) {
                available = Optional.of(kibibytes(i + 1, text));
            }
        }
        if (total.isEmpty() || available.isEmpty()) {
            throw malformed(meminfo, 0, "expected MemTotal and MemAvailable (Linux 3.14 or later)", "");
        }
        try {
            return new Memory(total.get() * 1024, available.get() * 1024);
        } catch (IllegalArgumentException e) {
            throw new IOException(meminfo + ": inconsistent figures: " + e.getMessage(), e);
        }
    }

    /** A {@code Key:   1234 kB} line. */
    private long kibibytes(int line, String text) throws IOException {
        String[] f = text.trim().split("\\s+");
        if (f.length != 3 || !f[2].equals("kB")) {
            throw malformed(meminfo, line, "expected 'Key: N kB'", text);
        }
        return counter(meminfo, line, f[1], text);
    }

    private Optional<Integer> temperature(List<String> unreadable, List<ThermalZone> all) throws IOException {
        if (!Files.isDirectory(thermal)) {
            return Optional.empty();
        }
        Optional<Integer> hottest = Optional.empty();
        try (DirectoryStream<Path> zones = Files.newDirectoryStream(thermal, "thermal_zone*")) {
            for (Path zone : zones) {
                Path file = zone.resolve("temp");
                String text;
                try {
                    text = Files.readString(file, StandardCharsets.US_ASCII).trim();
                } catch (NoSuchFileException e) {
                    continue; // not a zone with a sensor, or removed while listing (hotplug)
                } catch (IOException e) {
                    unreadable.add(file + ": " + e.getMessage());
                    continue;
                }
                int value;
                try {
                    value = Integer.parseInt(text);
                } catch (NumberFormatException e) {
                    throw malformed(file, 1, "expected millidegrees Celsius as an integer", text);
                }
                all.add(new ThermalZone(zone.getFileName().toString(), value));
                if (hottest.isEmpty() || value > hottest.get()) {
                    hottest = Optional.of(value);
                }
            }
        }
        return hottest;
    }

    private static long counter(Path file, int line, String field, String text) throws IOException {
        try {
            long value = Long.parseLong(field);
            if (value < 0) {
                throw malformed(file, line, "negative counter " + field, text);
            }
            return value;
        } catch (NumberFormatException e) {
            throw malformed(file, line, "not a number: '" + field + "'", text);
        }
    }

    private static IOException malformed(Path file, int line, String what, String text) {
        String shown = text.length() > 80 ? text.substring(0, 80) + "..." : text;
        return new IOException(file + ":" + line + ": " + what + (shown.isEmpty() ? "" : " in '" + shown + "'"));
    }
}
