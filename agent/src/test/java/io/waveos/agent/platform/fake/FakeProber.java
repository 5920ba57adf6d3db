package io.waveos.agent.platform.fake;

import io.waveos.agent.platform.Prober;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/** Answers probes at once with the readiness the test set (not ready by default). */
public final class FakeProber implements Prober {
    private final Map<Probe, Boolean> ready = new HashMap<>();
    private int attempts;

    @Override
    public void probe(Probe probe, Duration attemptTimeout, Consumer<ProbeOutcome> done) {
        attempts++;
        boolean r = ready.getOrDefault(probe, false);
        done.accept(new ProbeOutcome(r, r ? "ok" : "connection refused"));
    }

    public void setReady(Probe probe, boolean isReady) {
        ready.put(probe, isReady);
    }

    public int attempts() {
        return attempts;
    }
}
