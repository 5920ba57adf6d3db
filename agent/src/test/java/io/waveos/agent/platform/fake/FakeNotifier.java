package io.waveos.agent.platform.fake;

import io.waveos.agent.platform.ServiceNotifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Records every state sent, in order; reports the watchdog interval it was given. Not thread-safe. */
public final class FakeNotifier implements ServiceNotifier {
    private final Optional<Duration> watchdogInterval;
    private final List<String> states = new ArrayList<>();

    /** As when systemd asked for no watchdog. */
    public FakeNotifier() {
        this(Optional.empty());
    }

    public FakeNotifier(Optional<Duration> watchdogInterval) {
        this.watchdogInterval = watchdogInterval;
    }

    @Override
    public void notify(String state) {
        states.add(state);
    }

    @Override
    public Optional<Duration> watchdogInterval() {
        return watchdogInterval;
    }

    public List<String> states() {
        return List.copyOf(states);
    }
}
