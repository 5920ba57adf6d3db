package io.waveos.companion.guardian;

import java.time.Duration;

/**
 * Port: the two GPIO lines from the Guardian to the device.
 *
 * <ul>
 *   <li><b>Reset line</b>: while asserted, the device is held in reset. {@link #pulseReset} asserts it
 *       for a fixed width and releases it afterwards, timed by the owner's {@link Scheduler}; it
 *       returns at once.
 *   <li><b>Safe-mode line</b>: a level the device reads (at boot and at run time); while asserted the
 *       device must stay in SAFE even when the companion link is down.
 * </ul>
 *
 * <p>"Asserted" is the electrical meaning, independent of polarity: the adapter maps it to a pin level.
 * Implementations: {@link Pi4jResetLine} (Pi4J, mock or real provider) and a recording twin in tests.
 *
 * <p>Threading: called from the Guardian's loop thread; the release at the end of a pulse runs on the
 * scheduler's thread, so implementations synchronise their pin access.
 */
public interface ResetLine extends AutoCloseable {

    /**
     * Asserts the reset line for {@code width}, then releases it.
     *
     * @return false, doing nothing, if a pulse is still in progress (a second pulse would not reset the
     *     device twice, it would only stretch the first)
     * @throws IllegalArgumentException if {@code width} is not positive
     * @throws GpioException if the pin cannot be driven
     */
    boolean pulseReset(Duration width);

    /**
     * Drives the safe-mode line; idempotent.
     *
     * @throws GpioException if the pin cannot be driven
     */
    void setSafeMode(boolean asserted);

    /** True while a reset pulse is in progress. */
    boolean resetAsserted();

    /** True while the safe-mode line is asserted. */
    boolean safeModeAsserted();

    /** Releases both lines and the GPIO resources; idempotent. */
    @Override
    void close();
}
