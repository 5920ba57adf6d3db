package io.waveos.agent.bench;

import io.waveos.agent.config.SpoolConfig;
import io.waveos.agent.config.SpoolConfig.Durability;
import io.waveos.agent.platform.LaunchSpec;
import io.waveos.agent.platform.linux.DaemonThreads;
import io.waveos.agent.platform.linux.LinuxProcessLauncher;
import io.waveos.agent.platform.linux.LinuxStorage;
import io.waveos.agent.platform.linux.SystemClocks;
import io.waveos.agent.spool.Spool;
import io.waveos.agent.spool.SpoolCapture;
import io.waveos.agent.spool.SpoolCounters;
import io.waveos.agent.spool.SpoolWriter;
import io.waveos.agent.spool.Stream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Spool benchmarks of issue #6 (docs/benchmarks.md, "Log spool (#6)"); run by bench/spool-bench.sh.
 *
 * <p>{@code append DIR N}: N records of 256 payload bytes through {@link SpoolWriter} on the real disk
 * under always, batch (256 records / 200 ms) and none, each next to a raw loop appending the same
 * encoded size with FileChannel at the same fsync cadence. {@code capture DIR SECONDS}: a service
 * writing 100-byte lines as fast as it can ({@code yes}) through the launcher's pipe reader into the
 * spool (batch); lines/s taken, dropped, and this JVM's CPU.
 */
public final class SpoolBench {
    private static final int PAYLOAD = 256;
    private static final int RECORD = 12 + 27 + 3 + PAYLOAD; // header + fixed body + "web" + payload

    private SpoolBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        if (args[0].equals("append")) {
            int n = Integer.parseInt(args[2]);
            for (Durability d : Durability.values()) { // warm-up, not reported
                spool(dir.resolve("warm-spool-" + d), d, d == Durability.ALWAYS ? 200 : 20_000);
                raw(dir.resolve("warm-raw-" + d), d, d == Durability.ALWAYS ? 200 : 20_000);
            }
            for (Durability d : Durability.values()) {
                int count = d == Durability.ALWAYS ? Math.max(1, n / 20) : n;
                double spool = spool(dir.resolve("spool-" + d), d, count);
                double raw = raw(dir.resolve("raw-" + d), d, count);
                System.out.printf("%-6s records=%d spool=%.0f/s raw=%.0f/s ratio=%.2f%n", d.name().toLowerCase(),
                        count, spool, raw, spool / raw);
            }
        } else {
            capture(dir, Integer.parseInt(args[2]));
        }
    }

    private static SpoolConfig config(Path dir, Durability d) {
        return new SpoolConfig(true, dir, d, 256, Duration.ofMillis(200), 64L << 20, Duration.ofHours(1), 1L << 40,
                Duration.ofDays(365), 16 * 1024, 4L << 20, false);
    }

    private static double spool(Path dir, Durability d, int n) throws Exception {
        SystemClocks clocks = new SystemClocks();
        byte[] payload = new byte[PAYLOAD];
        Arrays.fill(payload, (byte) 'x');
        SpoolWriter w = SpoolWriter.open(new LinuxStorage(), config(dir, d), clocks, clocks, e -> { },
                new SpoolCounters());
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            w.append("web", Stream.STDOUT, 0, payload);
        }
        w.close();
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    /** The baseline: FileChannel appends of the same size, fsync every record / every 256 / at the end. */
    private static double raw(Path dir, Durability d, int n) throws Exception {
        Files.createDirectories(dir);
        byte[] record = new byte[RECORD];
        Arrays.fill(record, (byte) 'x');
        long t0 = System.nanoTime();
        try (FileChannel ch = FileChannel.open(dir.resolve("raw.bin"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            for (int i = 0; i < n; i++) {
                ByteBuffer b = ByteBuffer.wrap(record);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                if (d == Durability.ALWAYS || (d == Durability.BATCH && i % 256 == 255)) {
                    ch.force(true);
                }
            }
            if (d != Durability.NONE) {
                ch.force(true);
            }
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    private static void capture(Path dir, int seconds) throws Exception {
        SystemClocks clocks = new SystemClocks();
        SpoolConfig config = config(dir.resolve("spool"), Durability.BATCH);
        SpoolCounters counters = new SpoolCounters();
        SpoolWriter writer = SpoolWriter.open(new LinuxStorage(), config, clocks, clocks, e -> { }, counters);
        Spool spool = Spool.start(writer, config.queueBytes(), counters, e -> { }, clocks, new DaemonThreads("spool"));
        LinuxProcessLauncher launcher = new LinuxProcessLauncher("bench-" + ProcessHandle.current().pid(),
                new SpoolCapture(spool, config.maxLineBytes()));
        String line = "y".repeat(99);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        CompletableFuture<Object> exit = new CompletableFuture<>();
        var p = launcher.start(new LaunchSpec("flood", List.of("yes", line), Map.of(), Optional.empty(), Optional.empty(),
                Optional.empty(), new LaunchSpec.OutputSpec(dir.resolve("services"), 4096, 1, false)), s -> exit.complete(s));
        java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofSeconds(seconds).toNanos());
        SpoolCounters.Snapshot s = counters.snapshot();
        long cpu = os.getProcessCpuTime() - cpu0;
        double wall = (System.nanoTime() - t0) / 1e9;
        launcher.signalGroup(p.identity().pgid(), io.waveos.agent.platform.Signal.KILL);
        exit.get();
        spool.close(Duration.ofSeconds(30));
        System.out.printf("capture seconds=%.1f written=%.0f lines/s dropped=%.0f lines/s written_mib_s=%.1f "
                + "cpu=%.0f%% of one core%n", wall, s.writtenRecords() / wall, s.queueDroppedRecords() / wall,
                s.writtenBytes() / wall / (1 << 20), 100.0 * cpu / 1e9 / wall);
    }
}
