package io.waveos.companion.guardian;

/**
 * Which run of the Guardian a monotonic time belongs to. Times the Guardian reports (reset witnesses,
 * time witnesses, its log) are milliseconds since {@code originNanos} on its monotonic clock, and only
 * comparable within one {@code bootCounter}; the counter is persisted and increases at every start.
 *
 * @param bootCounter this run's number, at least 1
 * @param originNanos the monotonic clock reading taken as time zero of this run
 */
public record GuardianEpoch(long bootCounter, long originNanos) {

    public GuardianEpoch {
        if (bootCounter < 1) {
            throw new IllegalArgumentException("boot counter must be at least 1, was " + bootCounter);
        }
    }

    /** Milliseconds since this run's origin; never negative. */
    public long monotonicMs(long nowNanos) {
        return Math.max(0, (nowNanos - originNanos) / 1_000_000L);
    }
}
