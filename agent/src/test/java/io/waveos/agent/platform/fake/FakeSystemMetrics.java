package io.waveos.agent.platform.fake;

import io.waveos.agent.platform.SystemMetrics;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Host figures set by the test. Starts with 1 GiB of memory, half available, no CPU time and no
 * thermal zone; {@link #addCpu} advances the cumulative counters. Not thread-safe.
 */
public final class FakeSystemMetrics implements SystemMetrics {
    private long busyTicks;
    private long totalTicks;
    private Memory memory = new Memory(1L << 30, 1L << 29);
    private Optional<Integer> temperature = Optional.empty();
    private Optional<String> failure = Optional.empty();
    private int snapshots;

    @Override
    public Snapshot snapshot() throws IOException {
        snapshots++;
        if (failure.isPresent()) {
            throw new IOException(failure.get());
        }
        return new Snapshot(new CpuTimes(busyTicks, totalTicks), memory, temperature, List.of());
    }

    /** {@code busy} of the next {@code total} ticks were busy. */
    public void addCpu(long busy, long total) {
        busyTicks += busy;
        totalTicks += total;
    }

    public void memory(long totalBytes, long availableBytes) {
        memory = new Memory(totalBytes, availableBytes);
    }

    public void temperature(Optional<Integer> millicelsius) {
        temperature = millicelsius;
    }

    /** From now on {@link #snapshot} throws an IOException with this message. */
    public void failWith(String message) {
        failure = Optional.of(message);
    }

    public void recover() {
        failure = Optional.empty();
    }

    /** How often {@link #snapshot} was called. */
    public int snapshots() {
        return snapshots;
    }
}
