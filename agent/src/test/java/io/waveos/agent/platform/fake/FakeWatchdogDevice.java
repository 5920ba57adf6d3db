package io.waveos.agent.platform.fake;

import io.waveos.agent.platform.WatchdogDevice;
import java.io.IOException;
import java.util.Optional;

/** Counts kicks and disarms; can be told to fail every call until it recovers. Not thread-safe. */
public final class FakeWatchdogDevice implements WatchdogDevice {
    private int kicks;
    private int disarms;
    private boolean armed;
    private Optional<String> failure = Optional.empty();

    @Override
    public void kick() throws IOException {
        throwIfFailing();
        armed = true;
        kicks++;
    }

    /** Like the real device: only an armed (opened) watchdog is disarmed. */
    @Override
    public void disarm() throws IOException {
        throwIfFailing();
        if (armed) {
            armed = false;
            disarms++;
        }
    }

    /** From now on kick and disarm throw an IOException with this message. */
    public void failWith(String message) {
        failure = Optional.of(message);
    }

    public void recover() {
        failure = Optional.empty();
    }

    public int kicks() {
        return kicks;
    }

    public int disarms() {
        return disarms;
    }

    /** Kicked since construction or the last disarm. */
    public boolean armed() {
        return armed;
    }

    private void throwIfFailing() throws IOException {
        if (failure.isPresent()) {
            throw new IOException(failure.get());
        }
    }
}
