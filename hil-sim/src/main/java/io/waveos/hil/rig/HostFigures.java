package io.waveos.hil.rig;

import io.waveos.agent.fixture.ProcTable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The simulated device's own figures, in the layout the agent's {@code LinuxSystemMetrics} reads
 * ({@code proc/stat}, {@code proc/meminfo}, {@code sys/class/thermal}) under {@code work/host}; the
 * agent is pointed at it with {@code -Dwaveos.host-root}. The device has {@link #TOTAL_KIB} of memory
 * of which {@link #BASE_RATIO} is in use by the legacy system, plus what its live fake services hold
 * (the {@code heap_retained_bytes} of each one's latest tick in its stdout file): so a leaking
 * service fills the device, and a stopped one frees it. CPU is the host's.
 */
final class HostFigures {
    static final long TOTAL_KIB = 256 * 1024;
    static final double BASE_RATIO = 0.80;
    private static final Pattern RETAINED = Pattern.compile("heap_retained_bytes (\\d+)");
    private final Path root;
    private final Path serviceLogs;
    private final MarkedProcesses marked;

    HostFigures(Path root, Path serviceLogs, MarkedProcesses marked) throws IOException {
        this.root = root;
        this.serviceLogs = serviceLogs;
        this.marked = marked;
        Files.createDirectories(root.resolve("proc"));
        Files.createDirectories(root.resolve("sys/class/thermal"));
        update();
    }

    /** Rewrites the files (atomically, as the kernel's would read whole). */
    void update() throws IOException {
        long retained = 0;
        Set<String> live = new HashSet<>();
        for (ProcTable.Proc p : marked.live()) {
            live.add(p.service());
        }
        for (String service : live) {
            retained += lastRetained(serviceLogs.resolve(service + ".stdout.log"));
        }
        long usedKib = Math.min(TOTAL_KIB, (long) (TOTAL_KIB * BASE_RATIO) + retained / 1024);
        write("proc/meminfo", "MemTotal:       " + TOTAL_KIB + " kB\nMemFree:        " + (TOTAL_KIB - usedKib)
                + " kB\nMemAvailable:   " + (TOTAL_KIB - usedKib) + " kB\n");
        write("proc/stat", Files.readString(Path.of("/proc/stat"), StandardCharsets.US_ASCII));
    }

    private void write(String name, String text) throws IOException {
        Path tmp = root.resolve(name + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.US_ASCII);
        Files.move(tmp, root.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static long lastRetained(Path log) throws IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long from = Math.max(0, f.length() - 4096);
            byte[] tail = new byte[(int) (f.length() - from)];
            f.seek(from);
            f.readFully(tail);
            Matcher m = RETAINED.matcher(new String(tail, StandardCharsets.ISO_8859_1));
            long last = 0;
            while (m.find()) {
                last = Long.parseLong(m.group(1));
            }
            return last;
        }
    }
}
