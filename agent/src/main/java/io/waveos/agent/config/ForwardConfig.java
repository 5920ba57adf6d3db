package io.waveos.agent.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of {@code spool.forward}: a target the spool is forwarded to, at least once.
 *
 * @param name names the target in events and its cursor file ({@code [a-z0-9_-]{1,32}})
 * @param file a local file of JSON lines (exactly one of {@code file} and {@code url})
 * @param url an {@code http://} or {@code https://} endpoint taking JSON lines in batches
 * @param batchRecords records per batch (1..10000)
 * @param timeout per request (HTTP)
 */
public record ForwardConfig(String name, Optional<Path> file, Optional<URI> url, int batchRecords, Duration timeout) {
    public ForwardConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(timeout, "timeout");
        if (!name.matches("[a-z0-9_-]{1,32}")) {
            throw new IllegalArgumentException("name must match [a-z0-9_-]{1,32}");
        }
        if (file.isPresent() == url.isPresent()) {
            throw new IllegalArgumentException("exactly one of file and url is required");
        }
        url.ifPresent(u -> {
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                throw new IllegalArgumentException("url must be http:// or https:// with a host");
            }
        });
        if (batchRecords < 1 || batchRecords > 10_000) {
            throw new IllegalArgumentException("batch_records must be in [1, 10000]");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
    }
}
