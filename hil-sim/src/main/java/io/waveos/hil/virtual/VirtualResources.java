package io.waveos.hil.virtual;

import io.waveos.agent.platform.ProcessMetrics;
import io.waveos.agent.platform.fake.FakeProcessMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the agent's sampler reads of each live fake process in tier 1 ({@link FakeProcessMetrics}):
 * a fake service starts at {@link #BASE_RSS} resident and no CPU time; {@code leak} grows its resident
 * size by its rate every second until the retained bytes reach {@link #HEAP_LIMIT} (the tier-2 fake
 * service's {@code -Xmx48m} less its own heap), where it dies as its JVM would
 * ({@code -XX:+ExitOnOutOfMemoryError}: exit 3); {@code spin} burns one core (100 ticks a second). Not
 * thread-safe: used from the virtual clock's thread only.
 */
final class VirtualResources {
    static final long BASE_RSS = 36L << 20;
    static final long HEAP_LIMIT = 44L << 20;
    static final int OOM_EXIT = 3;
    private final FakeProcessMetrics metrics = new FakeProcessMetrics();
    private final Map<Long, Proc> live = new LinkedHashMap<>();

    private static final class Proc {
        final String service;
        final long startTicks;
        long retained;
        long leakPerSecond;
        long cpuTicks;
        boolean spinning;

        Proc(String service, long startTicks) {
            this.service = service;
            this.startTicks = startTicks;
        }
    }

    ProcessMetrics metrics() {
        return metrics;
    }

    void started(String service, long pid, long startTicks) {
        Proc p = new Proc(service, startTicks);
        live.put(pid, p);
        publish(pid, p);
    }

    void gone(long pid) {
        live.remove(pid);
        metrics.gone(pid);
    }

    void leak(long pid, long bytesPerSecond) {
        Optional.ofNullable(live.get(pid)).ifPresent(p -> p.leakPerSecond += bytesPerSecond);
    }

    void spin(long pid) {
        Optional.ofNullable(live.get(pid)).ifPresent(p -> p.spinning = true);
    }

    /** The bytes every live process has leaked. */
    long retainedTotal() {
        return live.values().stream().mapToLong(p -> p.retained).sum();
    }

    /** Advances every live process by {@code d}; returns the services whose process ran out of heap. */
    List<String> advance(Duration d) {
        List<String> outOfMemory = new ArrayList<>();
        for (Map.Entry<Long, Proc> e : live.entrySet()) {
            Proc p = e.getValue();
            p.retained += p.leakPerSecond * d.toMillis() / 1000;
            if (p.spinning) {
                p.cpuTicks += d.toMillis() / 10;
            }
            if (p.retained >= HEAP_LIMIT) {
                outOfMemory.add(p.service);
            }
            publish(e.getKey(), p);
        }
        return outOfMemory;
    }

    private void publish(long pid, Proc p) {
        metrics.set(pid, new ProcessMetrics.Figures(p.cpuTicks, BASE_RSS + p.retained, 12, Optional.of(8),
                p.startTicks));
    }
}
