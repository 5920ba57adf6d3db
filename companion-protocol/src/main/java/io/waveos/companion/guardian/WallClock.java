package io.waveos.companion.guardian;

/**
 * Port: wall-clock time, only for stamping log records for humans. Deadlines, rates and windows use
 * the monotonic clock, never this.
 */
@FunctionalInterface
public interface WallClock {
    /** Milliseconds since the Unix epoch; may jump. */
    long epochMillis();
}
