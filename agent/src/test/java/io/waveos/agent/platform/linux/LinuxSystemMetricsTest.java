package io.waveos.agent.platform.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.waveos.agent.platform.SystemMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinuxSystemMetricsTest {
    @TempDir
    Path root;

    static final String STAT = "cpu  100 20 30 800 50 5 5 10 7 0\ncpu0 50 10 15 400 25 2 3 5 3 0\nintr 1 2 3\n";
    static final String MEMINFO = "MemTotal:        2048000 kB\nMemFree:          100000 kB\n"
            + "MemAvailable:     512000 kB\nBuffers:           1000 kB\n";

    /** Writes a /proc and /sys tree under the test's root; a zone value of null makes no zones folder. */
    static void tree(Path root, String stat, String meminfo, String... zoneTemps) throws IOException {
        Files.createDirectories(root.resolve("proc"));
        Files.writeString(root.resolve("proc/stat"), stat);
        Files.writeString(root.resolve("proc/meminfo"), meminfo);
        for (int i = 0; i < zoneTemps.length; i++) {
            Path zone = Files.createDirectories(root.resolve("sys/class/thermal/thermal_zone" + i));
            Files.writeString(zone.resolve("temp"), zoneTemps[i]);
        }
    }

    @Test
    void readsCpuTicksMemoryAndTheHottestZone() throws IOException {
        tree(root, STAT, MEMINFO, "41000\n", "67500\n", "-5000\n");
        Files.createDirectories(root.resolve("sys/class/thermal/cooling_device0"));

        SystemMetrics.Snapshot s = new LinuxSystemMetrics(root).snapshot();

        // busy = user 100 + nice 20 + system 30 + irq 5 + softirq 5 + steal 10 (guest 7 is inside user)
        assertEquals(new SystemMetrics.CpuTimes(170, 1020), s.cpu());
        assertEquals(new SystemMetrics.Memory(2048000L * 1024, 512000L * 1024), s.memory());
        assertEquals(Optional.of(67500), s.temperatureMillicelsius());
        assertTrue(s.unreadable().isEmpty());
    }

    @Test
    void noThermalZonesMeansNoTemperatureNotZero() throws IOException {
        tree(root, STAT, MEMINFO);

        assertEquals(Optional.empty(), new LinuxSystemMetrics(root).snapshot().temperatureMillicelsius());
    }

    @Test
    void acceptsAnOldKernelsFourCounterCpuLine() throws IOException {
        tree(root, "cpu 10 0 5 85\n", MEMINFO);

        assertEquals(new SystemMetrics.CpuTimes(15, 100), new LinuxSystemMetrics(root).snapshot().cpu());
    }

    @Test
    void malformedCpuLineIsAnErrorNamingFileAndLine() throws IOException {
        tree(root, "intr 5\ncpu  100 20 x30 800\n", MEMINFO);

        IOException e = assertThrows(IOException.class, () -> new LinuxSystemMetrics(root).snapshot());
        assertTrue(e.getMessage().startsWith(root.resolve("proc/stat") + ":2: not a number: 'x30'"), e.getMessage());
    }

    @Test
    void missingCpuLineOrMemAvailableIsAnErrorNamingTheFile() throws IOException {
        tree(root, "cpu0 1 2 3 4\n", MEMINFO);
        IOException noCpu = assertThrows(IOException.class, () -> new LinuxSystemMetrics(root).snapshot());
        assertTrue(noCpu.getMessage().contains("proc/stat") && noCpu.getMessage().contains("'cpu'"), noCpu.getMessage());

        Files.writeString(root.resolve("proc/stat"), STAT);
        Files.writeString(root.resolve("proc/meminfo"), "MemTotal:  2048 kB\nMemAvailable:  lots kB\n");
        IOException badMem = assertThrows(IOException.class, () -> new LinuxSystemMetrics(root).snapshot());
        assertTrue(badMem.getMessage().startsWith(root.resolve("proc/meminfo") + ":2: "), badMem.getMessage());
    }

    @Test
    void malformedZoneTemperatureIsAnErrorNamingTheZoneFile() throws IOException {
        tree(root, STAT, MEMINFO, "41000\n", "hot\n");

        IOException e = assertThrows(IOException.class, () -> new LinuxSystemMetrics(root).snapshot());
        assertTrue(e.getMessage().startsWith(root.resolve("sys/class/thermal/thermal_zone1/temp") + ":1: "),
                e.getMessage());
    }

    @Test
    void anUnreadableZoneIsLeftOutAndNamed() throws IOException {
        tree(root, STAT, MEMINFO, "41000\n");
        // A folder where the value should be: reading it fails like a driver without a reading does.
        Files.createDirectories(root.resolve("sys/class/thermal/thermal_zone1/temp"));

        SystemMetrics.Snapshot s = new LinuxSystemMetrics(root).snapshot();

        assertEquals(Optional.of(41000), s.temperatureMillicelsius());
        assertEquals(1, s.unreadable().size());
        assertTrue(s.unreadable().get(0).startsWith(root.resolve("sys/class/thermal/thermal_zone1/temp") + ": "),
                s.unreadable().toString());
    }

    @Test
    void readsThisHostsFiguresPlausibly() throws IOException {
        assumeTrue(Files.isReadable(Path.of("/proc/stat")) && Files.isReadable(Path.of("/proc/meminfo")),
                "no /proc here");

        LinuxSystemMetrics host = new LinuxSystemMetrics();
        SystemMetrics.Snapshot first = host.snapshot();
        SystemMetrics.Snapshot second = host.snapshot();

        assertTrue(first.cpu().totalTicks() > 0 && first.cpu().busyTicks() > 0, first.toString());
        assertTrue(second.cpu().totalTicks() >= first.cpu().totalTicks(), "cumulative ticks went backwards");
        assertTrue(first.memory().totalBytes() > 16L << 20, first.toString());
        assertTrue(first.memory().availableBytes() <= first.memory().totalBytes());
        first.temperatureMillicelsius().ifPresent(t -> assertTrue(t > -60_000 && t < 150_000, "temperature " + t));
    }
}
