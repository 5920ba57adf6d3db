package io.waveos.agent.api;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Nonces seen within the skew window, per key, bounded in count. A nonce is remembered until its
 * request's timestamp leaves the window (after that the timestamp check refuses the replay anyway).
 * When full of unexpired nonces a new one is refused rather than an old one forgotten: forgetting would
 * reopen a replay window. Thread-safe.
 */
public final class NonceCache {
    private final int capacity;
    /** key id + nonce -> expiry (epoch seconds), in insertion order. */
    private final LinkedHashMap<String, Long> seen = new LinkedHashMap<>();

    public NonceCache(int capacity) {
        this.capacity = capacity;
    }

    /** The outcome of offering a nonce. */
    public enum Outcome { FRESH, REPLAYED, FULL }

    /** Remembers {@code nonce} of {@code keyId} until {@code expiresEpochSeconds}, unless seen before. */
    public synchronized Outcome offer(String keyId, String nonce, long expiresEpochSeconds, long nowEpochSeconds) {
        String k = keyId + "\n" + nonce;
        if (seen.containsKey(k) && seen.get(k) >= nowEpochSeconds) {
            return Outcome.REPLAYED;
        }
        if (seen.size() >= capacity) {
            evictExpired(nowEpochSeconds);
        }
        if (seen.size() >= capacity) {
            return Outcome.FULL;
        }
        seen.put(k, expiresEpochSeconds);
        return Outcome.FRESH;
    }

    private void evictExpired(long now) {
        Iterator<Map.Entry<String, Long>> it = seen.entrySet().iterator();
        while (it.hasNext()) {
            if (it.next().getValue() < now) {
                it.remove();
            }
        }
    }

    public synchronized int size() {
        return seen.size();
    }
}
