package io.waveos.agent.platform.linux;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.waveos.agent.api.ApiError;
import io.waveos.agent.api.ApiFailure;
import io.waveos.agent.api.ApiRequest;
import io.waveos.agent.api.ApiResponse;
import io.waveos.agent.api.ApiRouter;
import io.waveos.agent.api.AuditLog;
import io.waveos.agent.api.Authenticator;
import io.waveos.agent.api.BodyStream;
import io.waveos.agent.api.Principal;
import io.waveos.agent.api.RequestSigning;
import io.waveos.agent.api.TokenBuckets;
import io.waveos.agent.config.ApiConfig;
import io.waveos.agent.config.ApiRole;
import io.waveos.agent.platform.MonotonicClock;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;

/**
 * The local API over HTTP(S), on the JDK's built-in server (docs/adr/0007-api-jdk-httpserver.md). In
 * order, for each request: concurrency cap, a plain path, the
 * signature (failures spend the peer's budget, then get 429), the role, the key's token bucket, the body's size; then the router. Every authentication
 * decision goes to the audit log. {@code GET /healthz} needs no signature, nor {@code GET /metrics}
 * when {@code api.open_metrics} is set.
 *
 * <p>A request whose headers and body do not arrive within {@code request_timeout} is cut by the JDK
 * server ({@code sun.net.httpserver.maxReqTime}, set here unless already set; it is process-wide).
 */
public final class ApiHttpServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService threads;
    private final ApiConfig config;
    private final ApiRouter router;
    private final Authenticator auth;
    private final AuditLog audit;
    private final TokenBuckets perKey;
    private final TokenBuckets failures;
    private final Semaphore concurrent;
    private final Map<Integer, AtomicLong> answered = new ConcurrentHashMap<>();
    private final Object drainLock = new Object();
    private int inFlight;
    private volatile boolean closing;

    /**
     * Binds and starts serving.
     *
     * @param tls the TLS context when {@code config.tls()} is set
     * @throws IOException when the address cannot be bound
     */
    public ApiHttpServer(ApiConfig config, ApiRouter router, Authenticator auth, AuditLog audit,
            MonotonicClock mono, Optional<SSLContext> tls) throws IOException {
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime",
                    Long.toString(config.limits().requestTimeout().toSeconds()));
        }
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            // Headers and body leave as two writes: with Nagle and delayed ACKs each answer waited ~40 ms.
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        this.config = config;
        this.router = router;
        this.auth = auth;
        this.audit = audit;
        ApiConfig.Limits l = config.limits();
        this.perKey = new TokenBuckets(l.requestsPerSecond(), l.burst(), mono);
        this.failures = new TokenBuckets(l.failuresPerSecond(), Math.max(1, (int) (l.failuresPerSecond() * 2)), mono);
        this.concurrent = new Semaphore(l.maxConcurrent());
        InetSocketAddress address = new InetSocketAddress(config.bind(), config.port());
        if (tls.isPresent()) {
            HttpsServer https = HttpsServer.create(address, 64);
            https.setHttpsConfigurator(new HttpsConfigurator(tls.get()));
            this.server = https;
        } else {
            this.server = HttpServer.create(address, 64);
        }
        this.threads = Executors.newFixedThreadPool(l.maxConcurrent() + 2, new DaemonThreads("waveos-api"));
        server.setExecutor(threads);
        server.createContext("/", this::serve);
        server.start();
    }

    /** The bound port (useful when configured as 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Answers given, by HTTP status. */
    public Map<Integer, Long> answered() {
        Map<Integer, Long> out = new java.util.TreeMap<>();
        answered.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    private void serve(HttpExchange ex) throws IOException {
        synchronized (drainLock) {
            inFlight++;
        }
        try (ex) {
            if (closing) {
                send(ex, ApiResponse.error(new ApiFailure(ApiError.UNAVAILABLE, "the agent is shutting down")));
                return;
            }
            if (!concurrent.tryAcquire()) {
                send(ex, ApiResponse.error(new ApiFailure(ApiError.TOO_BUSY, "too many requests at once"))
                        .withHeader("Retry-After", "1"));
                return;
            }
            try {
                send(ex, answer(ex));
            } finally {
                concurrent.release();
            }
        } catch (IOException e) {
            // The peer went away or was cut for being slow: there is nobody to answer.
            answered.computeIfAbsent(0, k -> new AtomicLong()).incrementAndGet();
        } finally {
            synchronized (drainLock) {
                inFlight--;
                drainLock.notifyAll();
            }
        }
    }

    private ApiResponse answer(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        // "//x/y" parses as authority "x": only origin-form targets ("/path?query") are served.
        boolean originForm = ex.getRequestURI().getScheme() == null && ex.getRequestURI().getRawAuthority() == null;
        String path = originForm ? ex.getRequestURI().getRawPath() : "//";
        String query = Optional.ofNullable(ex.getRequestURI().getRawQuery()).orElse("");
        String peer = ex.getRemoteAddress().getAddress().getHostAddress();
        String claimed = Optional.ofNullable(ex.getRequestHeaders().getFirst(RequestSigning.KEY_ID)).orElse("-");
        try {
            checkPlain(method, path, query);
            if (method.equals("GET") && path.equals("/healthz")) {
                return router.health();
            }
            if (method.equals("GET") && path.equals("/metrics") && config.openMetrics()) {
                // Opened by configuration for a scraper; it still spends the peer's budget like a failure.
                Optional<Duration> wait = failures.take(peer);
                if (wait.isPresent()) {
                    return limited(wait.get());
                }
                return router.metrics();
            }
            Principal p;
            try {
                p = auth.verify(method, path + (query.isEmpty() ? "" : "?" + query),
                        h -> Optional.ofNullable(ex.getRequestHeaders().getFirst(h)));
            } catch (ApiFailure f) {
                // Failures spend the peer's budget; past it they get 429. A correctly signed request from
                // the same address still passes: a flood cannot lock out a real key (checking an HMAC is cheap).
                Optional<Duration> wait = failures.take(peer);
                if (wait.isPresent()) {
                    audit.record(peer, claimed, method, path, "refused", ApiError.RATE_LIMITED.code(), 429);
                    return limited(wait.get());
                }
                audit.record(peer, claimed, method, path, "denied", f.error().code(), f.error().status());
                return ApiResponse.error(f);
            }
            return authorised(ex, p, method, path, query, peer);
        } catch (ApiFailure f) {
            return ApiResponse.error(f);
        }
    }

    private ApiResponse authorised(HttpExchange ex, Principal p, String method, String path, String query,
            String peer) throws IOException {
        Optional<ApiRole> needed = ApiRouter.roleFor(method, path);
        if (needed.isEmpty()) {
            audit.record(peer, p.keyId(), method, path, "allowed", "no_route", 404);
            return ApiResponse.error(ApiRouter.knownPath(path)
                    ? new ApiFailure(ApiError.METHOD_NOT_ALLOWED, method + " is not served at " + path)
                    : new ApiFailure(ApiError.NOT_FOUND, "no endpoint at " + path));
        }
        if (!p.role().covers(needed.get())) {
            audit.record(peer, p.keyId(), method, path, "denied", ApiError.FORBIDDEN_ROLE.code(), 403);
            return ApiResponse.error(new ApiFailure(ApiError.FORBIDDEN_ROLE, "this endpoint needs the "
                    + needed.get().name().toLowerCase(java.util.Locale.ROOT) + " role"));
        }
        Optional<Duration> wait = perKey.take(p.keyId());
        if (wait.isPresent()) {
            audit.record(peer, p.keyId(), method, path, "refused", ApiError.RATE_LIMITED.code(), 429);
            return limited(wait.get());
        }
        String length = Optional.ofNullable(ex.getRequestHeaders().getFirst("Content-Length")).orElse("0");
        if (!length.matches("\\d{1,18}")) {
            throw new ApiFailure(ApiError.MALFORMED, "Content-Length: not a decimal number");
        }
        if (Long.parseLong(length) > config.limits().maxBodyBytes()) {
            audit.record(peer, p.keyId(), method, path, "refused", ApiError.BODY_TOO_LARGE.code(), 413);
            throw new ApiFailure(ApiError.BODY_TOO_LARGE, "the body is larger than " + config.limits().maxBodyBytes()
                    + " bytes");
        }
        if ((method.equals("GET")) && !p.bodySha256().equals(RequestSigning.EMPTY_SHA256)) {
            throw new ApiFailure(ApiError.MALFORMED, RequestSigning.CONTENT_SHA256 + ": a GET has no body");
        }
        audit.record(peer, p.keyId(), method, path, "allowed", "ok", 0);
        BodyStream body = new BodyStream(ex.getRequestBody(), config.limits().maxBodyBytes(), p.bodySha256());
        return router.route(new ApiRequest(method, path, query, p,
                h -> Optional.ofNullable(ex.getRequestHeaders().getFirst(h)), body));
    }

    private static ApiResponse limited(Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        return ApiResponse.error(new ApiFailure(ApiError.RATE_LIMITED, "too many requests; retry after "
                + seconds + " s")).withHeader("Retry-After", Long.toString(seconds));
    }

    /** Refuses tricks in the path: escapes, dot segments, doubled slashes, anything but plain characters. */
    static void checkPlain(String method, String path, String query) throws ApiFailure {
        if (!method.matches("GET|PUT|POST|HEAD|DELETE|PATCH|OPTIONS")) {
            throw new ApiFailure(ApiError.MALFORMED, "method: unsupported");
        }
        if (path.length() > 512 || !path.matches("(/[A-Za-z0-9_.-]+)+|/") || path.matches(".*/\\.{1,2}(/.*)?")) {
            throw new ApiFailure(ApiError.MALFORMED, "path: only plain segments of [A-Za-z0-9_.-] are allowed "
                    + "(no escapes, dot segments or empty segments)");
        }
        if (query.length() > 512 || !query.matches("[A-Za-z0-9_.=&-]*")) {
            throw new ApiFailure(ApiError.MALFORMED, "query: only [A-Za-z0-9_.=&-] are allowed");
        }
    }

    private void send(HttpExchange ex, ApiResponse r) throws IOException {
        answered.computeIfAbsent(r.status(), k -> new AtomicLong()).incrementAndGet();
        r.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        ex.getResponseHeaders().set("Content-Type", r.contentType());
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        byte[] body = r.body();
        boolean empty = body.length == 0 || r.status() == 304;
        ex.sendResponseHeaders(r.status(), empty ? -1 : body.length);
        if (!empty) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /**
     * Drains: new requests get 503 while those in flight finish (at most the drain time), then the
     * server stops and closes every connection. (The JDK's own {@code stop(delay)} waits the whole delay
     * when idle connections remain, so the wait is ours.)
     */
    @Override
    public void close() {
        closing = true;
        long deadline = System.nanoTime() + config.limits().drain().toNanos();
        synchronized (drainLock) {
            while (inFlight > 0 && deadline - System.nanoTime() > 0) {
                try {
                    drainLock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        server.stop(0);
        threads.shutdown();
        try {
            threads.awaitTermination(config.limits().drain().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
