package io.waveos.agent.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the agent decides a started service is ready.
 *
 * <ul>
 *   <li>{@code STARTED}: ready as soon as the process runs;
 *   <li>{@code EXEC}: a command exits 0 ({@code exec});
 *   <li>{@code TCP}: a TCP connect to {@code host:port} succeeds;
 *   <li>{@code HTTP}: a GET on {@code url} answers 2xx.
 * </ul>
 * Probes repeat every {@code interval} until one succeeds or {@code timeout} has passed since start;
 * a timeout counts as a failed start (the process is stopped and the restart ladder applies).
 */
public record ReadinessConfig(Kind kind, List<String> exec, String tcpHost, int tcpPort, URI http,
        Duration timeout, Duration interval) {

    public enum Kind { STARTED, EXEC, TCP, HTTP }

    public ReadinessConfig {
        Objects.requireNonNull(kind, "kind");
        exec = List.copyOf(exec);
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(interval, "interval");
        switch (kind) {
            case STARTED -> { }
            case EXEC -> {
                if (exec.isEmpty()) {
                    throw new IllegalArgumentException("exec readiness needs a command");
                }
            }
            case TCP -> {
                if (tcpHost == null || tcpPort < 1 || tcpPort > 65535) {
                    throw new IllegalArgumentException("tcp readiness needs host:port");
                }
            }
            case HTTP -> Objects.requireNonNull(http, "http readiness needs a url");
        }
        if (timeout.isNegative() || timeout.isZero() || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("readiness timeout and interval must be positive");
        }
    }

    public static ReadinessConfig started() {
        return new ReadinessConfig(Kind.STARTED, List.of(), null, 0, null, Duration.ofSeconds(10),
                Duration.ofMillis(200));
    }
}
