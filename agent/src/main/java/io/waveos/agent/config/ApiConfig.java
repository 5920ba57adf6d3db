package io.waveos.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code api:} section: the local HTTP API (docs/api.md). Absent section: no API.
 *
 * @param bind the address to listen on (loopback by default)
 * @param port the TCP port (0 picks a free one; tests use it)
 * @param tls optional key and certificate (PEM) for HTTPS
 * @param keys the API keys; secrets are redacted from everything the agent writes
 * @param limits rate, size, concurrency and time limits
 * @param flags the feature flags and their configured values
 * @param readyInSafe true when {@code /readyz} reports ready in SAFE mode
 * @param openMetrics true when {@code GET /metrics} needs no signature (for a Prometheus scraper)
 * @param flagsBundle the config bundle component whose active slot carries flags (on top of {@code flags})
 * @param keysBundle the certs bundle component whose active slot carries more API keys (besides {@code keys})
 */
public record ApiConfig(String bind, int port, Optional<Tls> tls, List<Key> keys, Limits limits,
        Map<String, String> flags, boolean readyInSafe, boolean openMetrics, Optional<BundleFile> flagsBundle,
        Optional<BundleFile> keysBundle) {

    /** A configuration whose flags and keys come from {@code agent.yaml} only. */
    public ApiConfig(String bind, int port, Optional<Tls> tls, List<Key> keys, Limits limits,
            Map<String, String> flags, boolean readyInSafe, boolean openMetrics) {
        this(bind, port, tls, keys, limits, flags, readyInSafe, openMetrics, Optional.empty(), Optional.empty());
    }

    /** A configuration whose {@code /metrics} is signed like every other endpoint. */
    public ApiConfig(String bind, int port, Optional<Tls> tls, List<Key> keys, Limits limits,
            Map<String, String> flags, boolean readyInSafe) {
        this(bind, port, tls, keys, limits, flags, readyInSafe, false);
    }

    /**
     * A file carried by a signed bundle: the flags of a config bundle ({@code api.flags_bundle}) or the
     * API keys of a certs bundle ({@code api.keys_bundle}).
     *
     * @param component the bundle component; its active slot may hold {@code file}
     * @param file the file's path inside the slot, relative, without {@code ..}
     */
    public record BundleFile(String component, String file) {
        public static final String DEFAULT_FLAGS_FILE = "flags.json";
        public static final String DEFAULT_KEYS_FILE = "api-keys.json";

        public BundleFile {
            if (!PolicyConfig.COMPONENT.matcher(component).matches()) {
                throw new IllegalArgumentException("bundle must match " + PolicyConfig.COMPONENT.pattern());
            }
            if (file.isBlank() || Path.of(file).isAbsolute() || file.contains("..")) {
                throw new IllegalArgumentException("bundle_file must be a relative path inside the slot, without '..'");
            }
        }
    }

    /** PEM private key (PKCS#8) and certificate chain. */
    public record Tls(Path keyFile, Path certFile) {
        public Tls {
            Objects.requireNonNull(keyFile, "keyFile");
            Objects.requireNonNull(certFile, "certFile");
        }
    }

    /** One API key; {@link #toString} never shows the secret. */
    public record Key(String id, String secret, ApiRole role) {
        /** Secrets shorter than this are refused: HMAC keys need entropy. */
        public static final int MIN_SECRET_LENGTH = 16;

        public Key {
            Objects.requireNonNull(role, "role");
            if (!id.matches("[A-Za-z0-9_.-]{1,64}")) {
                throw new IllegalArgumentException("key id must be 1-64 of [A-Za-z0-9_.-]");
            }
            if (secret.length() < MIN_SECRET_LENGTH) {
                throw new IllegalArgumentException("secret must be at least " + MIN_SECRET_LENGTH + " characters");
            }
        }

        @Override
        public String toString() {
            return "Key[id=" + id + ", role=" + role + ", secret=***]";
        }
    }

    /**
     * @param requestsPerSecond token refill rate per key
     * @param burst bucket size per key
     * @param failuresPerSecond refill rate of the per-address bucket spent by failed authentications
     * @param maxBodyBytes larger bodies get 413
     * @param maxConcurrent requests served at once; more get 429
     * @param requestTimeout a request (headers and body) not received within this is cut (slowloris)
     * @param skew accepted difference between the request's timestamp and the device's clock
     * @param nonceCache nonces remembered for replay detection (bounded)
     * @param replyTimeout how long a request waits for the agent's loop
     * @param drain how long shutdown waits for requests in flight
     */
    public record Limits(double requestsPerSecond, int burst, double failuresPerSecond, long maxBodyBytes,
            int maxConcurrent, Duration requestTimeout, Duration skew, int nonceCache, Duration replyTimeout,
            Duration drain) {
        public Limits {
            if (!(requestsPerSecond > 0) || burst < 1 || !(failuresPerSecond > 0) || maxBodyBytes < 1
                    || maxConcurrent < 1 || nonceCache < 16) {
                throw new IllegalArgumentException("limits must be positive (nonce_cache at least 16)");
            }
            if (requestTimeout.toSeconds() < 1 || skew.isNegative() || replyTimeout.isNegative()
                    || replyTimeout.isZero() || drain.isNegative()) {
                throw new IllegalArgumentException("request_timeout must be at least 1s; durations positive");
            }
        }

        public static Limits defaults() {
            return new Limits(20, 40, 5, 256L * 1024 * 1024, 16, Duration.ofSeconds(30), Duration.ofMinutes(5),
                    10_000, Duration.ofSeconds(10), Duration.ofSeconds(10));
        }
    }

    public ApiConfig {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(flagsBundle, "flagsBundle");
        Objects.requireNonNull(keysBundle, "keysBundle");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in [0, 65535]");
        }
        keys = List.copyOf(keys);
        flags = Map.copyOf(flags);
        Set<String> ids = new HashSet<>();
        for (Key k : keys) {
            if (!ids.add(k.id())) {
                throw new IllegalArgumentException("duplicate key id " + k.id());
            }
        }
        for (String f : flags.keySet()) {
            if (!f.matches("[a-z][a-z0-9_]{0,63}")) {
                throw new IllegalArgumentException("flag name " + f + " must match [a-z][a-z0-9_]{0,63}");
            }
        }
    }

    /** The key with this id. */
    public Optional<Key> key(String id) {
        return keys.stream().filter(k -> k.id().equals(id)).findFirst();
    }
}
