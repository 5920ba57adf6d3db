package io.waveos.agent.api;

import io.waveos.agent.config.ApiConfig;
import io.waveos.agent.platform.WallClock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Checks a request's signature headers (docs/api.md): the key exists, the timestamp is within the
 * skew window, the signature matches, and the nonce was not seen before. The body is not read here:
 * its hash is the signed {@code X-Waveos-Content-Sha256}, checked against the real body as it streams.
 * Keys are those of {@code api.keys} and, besides them, those of a certs bundle ({@link #bundleKeys}).
 * Thread-safe.
 */
public final class Authenticator {
    private final ApiConfig config;
    private final WallClock wall;
    private final NonceCache nonces;
    /** Replaced whole when the certs bundle changes; ids never collide with {@code api.keys}. */
    private volatile Map<String, ApiConfig.Key> bundleKeys = Map.of();

    public Authenticator(ApiConfig config, WallClock wall) {
        this.config = config;
        this.wall = wall;
        this.nonces = new NonceCache(config.limits().nonceCache());
    }

    /** Puts the keys of a certs bundle in force, replacing the previous bundle's (empty: none). */
    public void bundleKeys(List<ApiConfig.Key> keys) {
        Map<String, ApiConfig.Key> next = new LinkedHashMap<>();
        keys.forEach(k -> next.put(k.id(), k));
        bundleKeys = Map.copyOf(next);
    }

    /**
     * @param header a request header by name (case-insensitive), empty when absent
     * @throws ApiFailure with a 401 code (or 429 when the replay cache is full)
     */
    public Principal verify(String method, String pathWithQuery, Function<String, Optional<String>> header)
            throws ApiFailure {
        Optional<String> keyId = header.apply(RequestSigning.KEY_ID);
        Optional<String> ts = header.apply(RequestSigning.TIMESTAMP);
        Optional<String> nonce = header.apply(RequestSigning.NONCE);
        Optional<String> body = header.apply(RequestSigning.CONTENT_SHA256);
        Optional<String> sig = header.apply(RequestSigning.SIGNATURE);
        if (keyId.isEmpty() || ts.isEmpty() || nonce.isEmpty() || body.isEmpty() || sig.isEmpty()
                || !ts.get().matches("\\d{1,12}") || !nonce.get().matches("[A-Za-z0-9_-]{16,64}")
                || !body.get().matches("[0-9a-f]{64}") || !sig.get().matches("[0-9a-f]{64}")) {
            throw new ApiFailure(ApiError.MISSING_AUTH, "");
        }
        Optional<ApiConfig.Key> key = config.key(keyId.get()).or(() -> Optional.ofNullable(bundleKeys.get(keyId.get())));
        if (key.isEmpty()) {
            throw new ApiFailure(ApiError.UNKNOWN_KEY, "");
        }
        String expected = RequestSigning.sign(key.get().secret(), RequestSigning.canonical(method, pathWithQuery,
                Long.parseLong(ts.get()), nonce.get(), body.get()));
        if (!RequestSigning.same(expected, sig.get())) {
            throw new ApiFailure(ApiError.BAD_SIGNATURE, "");
        }
        long now = wall.now().getEpochSecond();
        long stamp = Long.parseLong(ts.get());
        Duration skew = config.limits().skew();
        if (Math.abs(now - stamp) > skew.toSeconds()) {
            throw new ApiFailure(ApiError.STALE_TIMESTAMP, "");
        }
        switch (nonces.offer(keyId.get(), nonce.get(), stamp + skew.toSeconds(), now)) {
            case FRESH:
                break;
            case REPLAYED:
                throw new ApiFailure(ApiError.REPLAYED_NONCE, "");
            case FULL:
                throw new ApiFailure(ApiError.TOO_BUSY, "replay cache full; retry later");
        }
        return new Principal(keyId.get(), key.get().role(), body.get());
    }
}
