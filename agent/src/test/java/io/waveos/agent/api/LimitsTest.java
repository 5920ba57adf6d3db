package io.waveos.agent.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LimitsTest {
    private long nanos;

    @Test
    void aBucketAllowsItsBurstThenRefillsAtItsRate() {
        TokenBuckets b = new TokenBuckets(2, 3, () -> nanos);
        for (int i = 0; i < 3; i++) {
            assertEquals(Optional.empty(), b.take("k"));
        }
        assertEquals(Optional.of(Duration.ofMillis(500)), b.take("k"));
        assertEquals(Optional.empty(), b.take("other"), "buckets are per name");
        nanos += Duration.ofMillis(500).toNanos();
        assertEquals(Optional.empty(), b.take("k"));
        assertEquals(Optional.of(Duration.ofMillis(500)), b.take("k"));
    }

    @Test
    void theNonceCacheRefusesAReplayAndWhenFullRefusesRatherThanForgets() {
        NonceCache c = new NonceCache(2);
        assertEquals(NonceCache.Outcome.FRESH, c.offer("k", "n1", 100, 50));
        assertEquals(NonceCache.Outcome.REPLAYED, c.offer("k", "n1", 100, 60));
        assertEquals(NonceCache.Outcome.FRESH, c.offer("other", "n1", 100, 60), "nonces are per key");
        assertEquals(NonceCache.Outcome.FULL, c.offer("k", "n2", 100, 60));
        assertEquals(NonceCache.Outcome.FRESH, c.offer("k", "n2", 300, 101), "expired nonces make room");
        assertEquals(NonceCache.Outcome.REPLAYED, c.offer("k", "n2", 300, 150));
    }
}
