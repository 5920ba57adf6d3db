package io.waveos.bundles.verify;

import java.time.Instant;

/**
 * The clock policy for devices whose wall clock may be wrong (no RTC battery, no network time yet):
 * never trust a time earlier than the latest time already seen in accepted signed metadata.
 *
 * <p>The caller keeps a persistent high-water mark: after accepting a manifest it raises the mark to
 * the manifest's {@code created} (and after accepting a trust root, to the time it was accepted at),
 * never lowering it. Expiry checks then use {@link #trustedNow}. A clock that is behind therefore
 * cannot make an expired bundle look valid once a newer bundle has been seen; a clock that is ahead
 * can make bundles look expired early, which fails safe (refusal, not acceptance).
 */
public final class TrustedTime {

    private TrustedTime() {
    }

    /** The later of the wall clock and the high-water mark. */
    public static Instant trustedNow(Instant wallClock, Instant latestSeenInSignedMetadata) {
        return wallClock.isAfter(latestSeenInSignedMetadata) ? wallClock : latestSeenInSignedMetadata;
    }

    /** The new high-water mark after accepting metadata created at {@code created}. */
    public static Instant raise(Instant latestSeen, Instant created) {
        return trustedNow(latestSeen, created);
    }
}
