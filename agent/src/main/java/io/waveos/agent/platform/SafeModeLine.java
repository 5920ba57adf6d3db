package io.waveos.agent.platform;

import java.io.IOException;

/**
 * The Guardian's safe-mode line, as the device reads it: a GPIO input the Guardian asserts for the
 * minimum duration of each safe-mode order (docs/guardian.md, "Safe-mode line").
 *
 * <p>Polled, not a listener: the agent's loop reads it once a second on a timer, so a change is seen
 * within a second and all reactions stay on the loop thread. Reading is cheap (one pin) and must not
 * block. The adapter applies the wiring's polarity: {@link #asserted} is the logical state.
 */
public interface SafeModeLine extends AutoCloseable {
    /**
     * @throws IOException when the line cannot be read now; the caller keeps its last known state
     */
    boolean asserted() throws IOException;

    /** Releases the pin. Idempotent. */
    @Override
    void close();
}
