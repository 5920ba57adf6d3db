package io.waveos.agent.companion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.platform.fake.FakeSystemMetrics;
import io.waveos.agent.platform.linux.LinuxSystemMetrics;
import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.EventCode;
import io.waveos.companion.proto.HealthReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Health reports carry real figures, and leave out what is unknown instead of sending 0. */
class HealthSamplerTest {
    private static final String MEMINFO = "MemTotal:  1000000 kB\nMemAvailable:  250000 kB\n";
    private static final HealthSampler.AgentFigures AGENT = new HealthSampler.AgentFigures(7, 3,
            Map.of("event_loop", 2, "guardian_link", 1));

    @TempDir
    Path root;
    final List<Event> events = new ArrayList<>();

    private void writeTree(String cpuLine, String... zones) throws IOException {
        Files.createDirectories(root.resolve("proc"));
        Files.writeString(root.resolve("proc/stat"), cpuLine + "\ncpu0 0 0 0 0\n");
        Files.writeString(root.resolve("proc/meminfo"), MEMINFO);
        for (int i = 0; i < zones.length; i++) {
            Path zone = Files.createDirectories(root.resolve("sys/class/thermal/thermal_zone" + i));
            Files.writeString(zone.resolve("temp"), zones[i] + "\n");
        }
    }

    @Test
    void reportsCpuOverTheIntervalMemoryAndTheHottestZoneFromProc() throws IOException {
        writeTree("cpu  100 0 100 800 0 0 0 0", "45000", "52000");
        HealthSampler sampler = new HealthSampler(new LinuxSystemMetrics(root), events::add);

        HealthReport first = sampler.sample(5_000_000_000L, AGENT);
        // 1000 more ticks, 250 of them busy (150 user, 50 system, 50 softirq), 50 of the idle ones in iowait.
        Files.writeString(root.resolve("proc/stat"), "cpu  250 0 150 1500 50 0 50 0\n");
        HealthReport second = sampler.sample(10_000_000_000L, AGENT);

        assertFalse(first.hasCpuPermille(), "the first report has no interval to measure");
        assertEquals(250, second.getCpuPermille());
        assertEquals(1_000_000L * 1024, second.getMemoryTotalBytes());
        assertEquals(750_000L * 1024, second.getMemoryUsedBytes());
        assertEquals(52_000, second.getTemperatureMillicelsius());
        assertEquals(10_000, second.getMonotonicMs());
        assertEquals(7, second.getRestartsTotal());
        assertEquals(3, second.getErrorRatePerMin());
        assertEquals(Map.of("event_loop", 2, "guardian_link", 1), second.getQueueDepthsMap());
        assertTrue(events.isEmpty(), events.toString());
    }

    @Test
    void aDeviceWithoutThermalZonesSendsNoTemperature() throws IOException {
        writeTree("cpu  100 0 100 800 0 0 0 0");
        HealthSampler sampler = new HealthSampler(new LinuxSystemMetrics(root), events::add);

        HealthReport report = sampler.sample(0, AGENT);

        assertFalse(report.hasTemperatureMillicelsius());
        assertEquals(1_000_000L * 1024, report.getMemoryTotalBytes());
    }

    @Test
    void unreadableFiguresAreAbsentAndReportedOnceUntilTheyRecover() {
        FakeSystemMetrics host = new FakeSystemMetrics();
        host.temperature(Optional.of(40_000));
        HealthSampler sampler = new HealthSampler(host, events::add);
        host.addCpu(10, 100);
        sampler.sample(0, AGENT);
        host.failWith("/proc/stat:1: not a number: 'x'");

        HealthReport broken = sampler.sample(1, AGENT);
        sampler.sample(2, AGENT);
        host.recover();
        host.addCpu(50, 100);
        HealthReport back = sampler.sample(3, AGENT);
        host.addCpu(50, 100);
        HealthReport next = sampler.sample(4, AGENT);

        assertFalse(broken.hasCpuPermille());
        assertFalse(broken.hasTemperatureMillicelsius());
        assertEquals(0, broken.getMemoryTotalBytes(), "unknown memory is a total of 0");
        assertEquals(3, broken.getErrorRatePerMin(), "the agent's own figures are still sent");
        assertEquals(2, events.size(), events.toString());
        assertEquals(EventCode.HEALTH_FIGURES, events.get(0).code());
        assertTrue(events.get(0).reason().contains("/proc/stat:1: not a number"), events.get(0).reason());
        assertTrue(events.get(1).reason().contains("readable again"), events.get(1).reason());
        assertFalse(back.hasCpuPermille(), "no interval spans the failure");
        assertEquals(500, next.getCpuPermille());
        assertEquals(40_000, next.getTemperatureMillicelsius());
    }
}
