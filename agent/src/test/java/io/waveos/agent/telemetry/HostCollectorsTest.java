package io.waveos.agent.telemetry;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.platform.SystemMetrics;
import io.waveos.agent.platform.linux.LinuxProcessMetrics;
import io.waveos.agent.platform.linux.LinuxSystemMetrics;
import io.waveos.agent.platform.linux.SystemClocks;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The collectors reading this machine's /proc and /sys. */
class HostCollectorsTest {
    @TempDir
    Path temp;

    @Test
    void readsLoadInterfacesAndTheWatchedDiskOfThisMachine() throws IOException {
        SystemMetrics.Snapshot s = new LinuxSystemMetrics(Map.of("state", temp)).snapshot();
        assertTrue(s.load().isPresent(), "/proc/loadavg");
        assertTrue(s.interfaces().stream().anyMatch(i -> i.name().equals("lo")), s.interfaces().toString());
        assertTrue(s.disks().size() == 1 && s.disks().get(0).totalBytes() > 0, s.disks().toString());
    }

    @Test
    void samplesThisJvmAsAServiceWithItsRssThreadsAndCpu() {
        SystemClocks clocks = new SystemClocks();
        Sampler sampler = new Sampler(new LinuxSystemMetrics(Map.of("state", temp)), new LinuxProcessMetrics(),
                new EventTally(clocks), clocks, clocks);
        List<ServiceFacts> self = List.of(new ServiceFacts("self", Optional.of(ProcessHandle.current().pid()), 0));
        AgentFacts agent = new AgentFacts(0, 0, Optional.empty(), 1, 2);
        sampler.sample(self, agent);
        long spinUntil = System.nanoTime() + 50_000_000;
        long x = 0;
        while (System.nanoTime() < spinUntil) {
            x += System.nanoTime() % 7;
        }
        Sample s = sampler.sample(self, agent).sample();
        assertTrue(x >= 0);
        assertTrue(s.get(MetricKey.service("self", "rss_bytes")).orElse(0.0) > 1_000_000, s.values().toString());
        assertTrue(s.get(MetricKey.service("self", "threads")).orElse(0.0) >= 2);
        assertTrue(s.get(MetricKey.service("self", "cpu_permille")).isPresent());
        assertTrue(s.get(MetricKey.system("cpu_permille")).isPresent());
        assertTrue(s.get(new MetricKey(Scope.SYSTEM, "state", "disk_used_bytes")).isPresent());
        assertTrue(s.get(new MetricKey(Scope.SYSTEM, "lo", "net_rx_bytes")).isPresent());
    }
}
