package io.waveos.agent.platform;

/** Monotonic time for deadlines, rates, windows and breakers. Unaffected by wall-clock steps. */
public interface MonotonicClock {
    /** Nanoseconds since an arbitrary, fixed origin; only differences are meaningful. */
    long nanos();
}
