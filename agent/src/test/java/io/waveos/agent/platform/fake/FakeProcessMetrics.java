package io.waveos.agent.platform.fake;

import io.waveos.agent.platform.ProcessMetrics;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Per-process figures set by the test; a pid with none set reads as gone. */
public final class FakeProcessMetrics implements ProcessMetrics {
    private final Map<Long, Figures> figures = new HashMap<>();
    private final Map<Long, String> failures = new HashMap<>();

    @Override
    public long ticksPerSecond() {
        return 100;
    }

    @Override
    public Optional<Figures> read(long pid) throws IOException {
        String failure = failures.get(pid);
        if (failure != null) {
            throw new IOException(failure);
        }
        return Optional.ofNullable(figures.get(pid));
    }

    public void set(long pid, Figures f) {
        failures.remove(pid);
        figures.put(pid, f);
    }

    public void gone(long pid) {
        failures.remove(pid);
        figures.remove(pid);
    }

    /** Reads of {@code pid} throw with {@code message} until {@link #set} or {@link #gone} is called. */
    public void failWith(long pid, String message) {
        failures.put(pid, message);
    }
}
