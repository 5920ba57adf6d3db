package io.waveos.companion.transport;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Polls a condition until it holds, for integration tests with real devices and sockets. Bounds are
 * generous (a slow CI machine must pass); a condition that never holds fails with the description.
 */
final class Eventually {
    private Eventually() {
    }

    static void until(Duration bound, BooleanSupplier condition, Supplier<String> description) {
        long end = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("not within " + bound + ": " + description.get());
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for: " + description.get(), e);
            }
        }
    }
}
