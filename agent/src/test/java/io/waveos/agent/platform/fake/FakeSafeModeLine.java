package io.waveos.agent.platform.fake;

import io.waveos.agent.platform.SafeModeLine;
import java.io.IOException;
import java.util.Optional;

/** A safe-mode line the test sets; starts released. Can be told to fail reads. Not thread-safe. */
public final class FakeSafeModeLine implements SafeModeLine {
    private boolean asserted;
    private Optional<String> failure = Optional.empty();
    private int reads;
    private boolean closed;

    @Override
    public boolean asserted() throws IOException {
        reads++;
        if (failure.isPresent()) {
            throw new IOException(failure.get());
        }
        return asserted;
    }

    public void set(boolean asserted) {
        this.asserted = asserted;
    }

    /** From now on reads throw an IOException with this message. */
    public void failWith(String message) {
        failure = Optional.of(message);
    }

    public void recover() {
        failure = Optional.empty();
    }

    public int reads() {
        return reads;
    }

    @Override
    public void close() {
        closed = true;
    }

    public boolean closed() {
        return closed;
    }
}
