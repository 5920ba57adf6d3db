package io.waveos.agent.api;

import io.waveos.agent.platform.MonotonicClock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * One token bucket per name (a key id, or a peer address for failed authentications), refilled at
 * {@code perSecond} up to {@code burst}. At most {@value #MAX_BUCKETS} buckets: when more names appear,
 * full buckets (which carry no information) are forgotten first. Thread-safe.
 */
public final class TokenBuckets {
    static final int MAX_BUCKETS = 4096;

    private final double perSecond;
    private final int burst;
    private final MonotonicClock clock;
    private final Map<String, Bucket> buckets = new HashMap<>();

    public TokenBuckets(double perSecond, int burst, MonotonicClock clock) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.clock = clock;
    }

    /** Takes a token for {@code name}: empty when one was taken, else how long until one is available. */
    public synchronized java.util.Optional<Duration> take(String name) {
        Bucket b = refill(name);
        if (b.tokens >= 1) {
            b.tokens -= 1;
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(waitFor(b));
    }

    private Duration waitFor(Bucket b) {
        return Duration.ofNanos((long) Math.ceil((1 - b.tokens) / perSecond * 1e9));
    }

    private Bucket refill(String name) {
        long now = clock.nanos();
        Bucket b = buckets.get(name);
        if (b == null) {
            if (buckets.size() >= MAX_BUCKETS) {
                buckets.values().removeIf(x -> x.tokens + (now - x.last) / 1e9 * perSecond >= burst);
            }
            b = new Bucket(burst, now);
            buckets.put(name, b);
            return b;
        }
        b.tokens = Math.min(burst, b.tokens + (now - b.last) / 1e9 * perSecond);
        b.last = now;
        return b;
    }

    private static final class Bucket {
        double tokens;
        long last;

        Bucket(double tokens, long last) {
            this.tokens = tokens;
            this.last = last;
        }
    }
}
