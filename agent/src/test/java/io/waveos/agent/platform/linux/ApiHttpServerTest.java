package io.waveos.agent.platform.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.api.ApiRouter;
import io.waveos.agent.api.ApiService;
import io.waveos.agent.api.AuditLog;
import io.waveos.agent.api.Authenticator;
import io.waveos.agent.api.FlagStore;
import io.waveos.agent.api.PushLedger;
import io.waveos.agent.api.RequestSigning;
import io.waveos.agent.config.ApiConfig;
import io.waveos.agent.config.ApiRole;
import io.waveos.bundles.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API over real HTTP on loopback: the auth table, roles, limits, bad input, flags, pushes, drain. */
class ApiHttpServerTest {
    static final String VIEWER_SECRET = "viewer-secret-0123456789";
    static final String OPERATOR_SECRET = "operator-secret-0123456789";
    static final String ADMIN_SECRET = "admin-secret-0123456789";

    @TempDir
    Path dir;

    private final SystemClocks clocks = new SystemClocks();
    private final FakeAgent agent = new FakeAgent();
    private ApiHttpServer server;
    private AuditLog audit;
    private URI base;

    /** Answers at once, except while {@code hold} is closed. */
    final class FakeAgent implements ApiService {
        final AtomicInteger placed = new AtomicInteger();
        volatile CountDownLatch hold = new CountDownLatch(0);

        private <T> CompletableFuture<T> later(T value) {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    hold.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return value;
            });
        }

        @Override
        public CompletableFuture<Boolean> ping() {
            return later(true);
        }

        @Override
        public CompletableFuture<Readiness> readiness() {
            return later(new Readiness(true, "ok"));
        }

        @Override
        public CompletableFuture<Map<String, Object>> status() {
            return later(Map.of("mode", "NORMAL"));
        }

        @Override
        public CompletableFuture<String> metrics() {
            return later("# HELP waveos_up up\n# TYPE waveos_up gauge\nwaveos_up 1\n");
        }

        @Override
        public CompletableFuture<List<Map<String, Object>>> events(long since, int limit) {
            return later(List.of(Map.of("seq", since + 1)));
        }

        @Override
        public CompletableFuture<Boolean> restart(String service, String operator) {
            return later(service.equals("web"));
        }

        @Override
        public CompletableFuture<String> exportEvidence(String operator) {
            return later("ok pack written\n");
        }

        @Override
        public void flagsOverridden(Map<String, String> changes, String operator) {
        }

        @Override
        public void placeBundle(InputStream body, String installId) throws IOException {
            InboxFiles.place(body, dir.resolve("inbox"), PushLedger.fileName(installId));
            placed.incrementAndGet();
        }
    }

    private boolean openMetrics;

    private ApiConfig config(ApiConfig.Limits limits) {
        return new ApiConfig("127.0.0.1", 0, Optional.empty(), List.of(
                new ApiConfig.Key("viewer", VIEWER_SECRET, ApiRole.VIEWER),
                new ApiConfig.Key("operator", OPERATOR_SECRET, ApiRole.OPERATOR),
                new ApiConfig.Key("admin", ADMIN_SECRET, ApiRole.ADMIN)), limits,
                Map.of("sync_enabled", "true", "retry_cap", "5"), false, openMetrics);
    }

    private static ApiConfig.Limits limits(double rps, int burst, long maxBody) {
        ApiConfig.Limits d = ApiConfig.Limits.defaults();
        return new ApiConfig.Limits(rps, burst, 5, maxBody, 8, d.requestTimeout(), d.skew(), 64,
                Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    private void start(ApiConfig.Limits limits) throws IOException {
        ApiConfig c = config(limits);
        audit = new AuditLog(new LinuxStorage(), dir.resolve("audit.jsonl"), 1 << 20, clocks);
        FlagStore flags = new FlagStore(c.flags(), new LinuxStorage(), dir.resolve("api"));
        server = new ApiHttpServer(c, new ApiRouter(agent, new PushLedger(), flags, c.limits().replyTimeout(), "t"),
                new Authenticator(c, clocks), audit, clocks, Optional.empty());
        base = URI.create("http://127.0.0.1:" + server.port());
    }

    private void start() throws IOException {
        start(limits(100, 100, 1 << 20));
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
            audit.close();
        }
    }

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> send(String keyId, String secret, String method, String path, byte[] body,
            long timestamp, String nonce, Map<String, String> extra) throws Exception {
        String sha = HexFormat.of().formatHex(RequestSigning.sha256().digest(body));
        ApiClient signer = new ApiClient(base, keyId, secret);
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).method(method,
                body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        signer.sign(method, path, sha, timestamp, nonce).forEach(b::header);
        extra.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> as(String role, String method, String path, byte[] body, Map<String, String> extra)
            throws Exception {
        String secret = switch (role) {
            case "viewer" -> VIEWER_SECRET;
            case "operator" -> OPERATOR_SECRET;
            default -> ADMIN_SECRET;
        };
        return send(role, secret, method, path, body, now(), new ApiClient(base, role, secret).nonce(), extra);
    }

    private HttpResponse<String> get(String role, String path) throws Exception {
        return as(role, "GET", path, new byte[0], Map.of());
    }

    private long now() {
        return clocks.now().getEpochSecond();
    }

    private static String error(HttpResponse<String> r) throws Exception {
        return String.valueOf(Json.parseObject(r.body().getBytes(StandardCharsets.UTF_8)).get("error"));
    }

    @Test
    void aCorrectlySignedRequestIsAnswered() throws Exception {
        start();
        HttpResponse<String> r = get("viewer", "/v1/status");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("NORMAL"));
    }

    @Test
    void forgedExpiredReplayedAndUnsignedRequestsGet401WithTheirCodeAndNoDetail() throws Exception {
        start();
        String nonce = "nonce-0123456789abcdef";
        assertEquals("bad_signature", error(send("viewer", "wrong-secret-0123456789", "GET", "/v1/status",
                new byte[0], now(), nonce, Map.of())));
        assertEquals("stale_timestamp", error(send("viewer", VIEWER_SECRET, "GET", "/v1/status", new byte[0],
                now() - 3600, nonce, Map.of())));
        assertEquals("unknown_key", error(send("nobody", VIEWER_SECRET, "GET", "/v1/status", new byte[0], now(),
                nonce, Map.of())));
        HttpResponse<String> first = send("viewer", VIEWER_SECRET, "GET", "/v1/status", new byte[0], now(), nonce,
                Map.of());
        assertEquals(200, first.statusCode());
        HttpResponse<String> replay = send("viewer", VIEWER_SECRET, "GET", "/v1/status", new byte[0], now(), nonce,
                Map.of());
        assertEquals(401, replay.statusCode());
        assertEquals("{\"error\":\"replayed_nonce\"}", replay.body().trim());
        HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(base.resolve("/v1/status")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, unsigned.statusCode());
        assertEquals("missing_auth", error(unsigned));
    }

    @Test
    void aSignatureForOnePathDoesNotOpenAnother() throws Exception {
        start();
        String sha = RequestSigning.EMPTY_SHA256;
        ApiClient signer = new ApiClient(base, "viewer", VIEWER_SECRET);
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve("/v1/events?since=5"));
        signer.sign("GET", "/v1/events?since=0", sha, now(), signer.nonce()).forEach(b::header);
        assertEquals("bad_signature", error(http.send(b.build(), HttpResponse.BodyHandlers.ofString())));
    }

    @Test
    void aBodyThatIsNotTheSignedOneGets401() throws Exception {
        start();
        ApiClient signer = new ApiClient(base, "admin", ADMIN_SECRET);
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve("/v1/config/flags"))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"retry_cap\":\"9\"}"));
        signer.sign("PUT", "/v1/config/flags", HexFormat.of().formatHex(RequestSigning.sha256().digest(
                "{\"retry_cap\":\"1\"}".getBytes(StandardCharsets.UTF_8))), now(), signer.nonce()).forEach(b::header);
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, r.statusCode());
        assertEquals("body_mismatch", error(r));
        assertEquals("5", String.valueOf(((Map<?, ?>) Json.parseObject(get("viewer", "/v1/config/flags").body()
                .getBytes(StandardCharsets.UTF_8)).get("flags")).get("retry_cap")), "a tampered body changed a flag");
    }

    @Test
    void theWrongRoleGets403() throws Exception {
        start();
        HttpResponse<String> r = as("viewer", "POST", "/v1/services/web/restart", new byte[0], Map.of());
        assertEquals(403, r.statusCode());
        assertEquals("forbidden_role", error(r));
        assertEquals(403, as("operator", "PUT", "/v1/config/flags", "{\"retry_cap\":1}".getBytes(
                StandardCharsets.UTF_8), Map.of()).statusCode());
        assertEquals(202, as("operator", "POST", "/v1/services/web/restart", new byte[0], Map.of()).statusCode());
        assertEquals(404, as("operator", "POST", "/v1/services/nope/restart", new byte[0], Map.of()).statusCode());
    }

    @Test
    void aFloodFromOneKeyGets429WithRetryAfter() throws Exception {
        start(limits(1, 3, 1 << 20));
        int ok = 0;
        HttpResponse<String> last = null;
        for (int i = 0; i < 6; i++) {
            last = get("viewer", "/v1/status");
            ok += last.statusCode() == 200 ? 1 : 0;
        }
        assertEquals(3, ok);
        assertEquals(429, last.statusCode());
        assertEquals("rate_limited", error(last));
        assertTrue(Long.parseLong(last.headers().firstValue("Retry-After").orElseThrow()) >= 1);
    }

    @Test
    void anUnauthenticatedFloodGets401Then429WhileHealthzAndSignedRequestsStayUp() throws Exception {
        start();
        int unauthorised = 0;
        int limited = 0;
        for (int i = 0; i < 60; i++) {
            int s = http.send(HttpRequest.newBuilder(base.resolve("/v1/status")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode();
            unauthorised += s == 401 ? 1 : 0;
            limited += s == 429 ? 1 : 0;
        }
        assertTrue(unauthorised >= 10 && limited >= 30, unauthorised + " x 401, " + limited + " x 429");
        assertEquals(200, get("viewer", "/v1/status").statusCode(), "a flood from the address locked out a real key");
        long t0 = System.nanoTime();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(base.resolve("/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(2));
    }

    @Test
    void metricsNeedASignatureUnlessOpenedForAScraper() throws Exception {
        start();
        HttpRequest scrape = HttpRequest.newBuilder(base.resolve("/metrics")).build();
        assertEquals(401, http.send(scrape, HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(200, get("viewer", "/metrics").statusCode());
        stop();
        openMetrics = true;
        start();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain; version=0.0.4"));
        assertEquals(401, http.send(HttpRequest.newBuilder(base.resolve("/v1/status")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode(), "only /metrics is opened");
    }

    @Test
    void aBodyOverTheCapGets413() throws Exception {
        start(limits(100, 100, 1024));
        HttpResponse<String> r = as("operator", "POST", "/v1/bundles", new byte[4096], Map.of());
        assertEquals(413, r.statusCode());
        assertEquals("body_too_large", error(r));
        assertEquals(0, agent.placed.get());
    }

    @Test
    void junkJsonGets400NamingWhatWasWrong() throws Exception {
        start();
        HttpResponse<String> r = as("admin", "PUT", "/v1/config/flags", "{\"retry_cap\": ".getBytes(
                StandardCharsets.UTF_8), Map.of());
        assertEquals(400, r.statusCode());
        Map<String, Object> body = Json.parseObject(r.body().getBytes(StandardCharsets.UTF_8));
        assertEquals("malformed", body.get("error"));
        assertTrue(String.valueOf(body.get("detail")).startsWith("body:"), r.body());
        HttpResponse<String> unknown = as("admin", "PUT", "/v1/config/flags", "{\"nope\": 1}".getBytes(
                StandardCharsets.UTF_8), Map.of());
        assertTrue(unknown.body().contains("unknown flag 'nope'"), unknown.body());
        assertTrue(get("viewer", "/v1/events?since=abc").body().contains("query:"));
    }

    private static String raw(int port, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void tricksInUrlPathsGet400() throws Exception {
        start();
        for (String path : List.of("/v1/../v1/status", "/v1/%2e%2e/status", "//v1/status", "/v1/status/.",
                "/v1/bundles/..%2fx", "/v1/status%00")) {
            String answer = raw(server.port(), "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertTrue(answer.startsWith("HTTP/1.1 400"), path + " -> " + answer);
            assertTrue(answer.contains("\"path:"), answer);
        }
    }

    @Test
    void aSlowBodyIsCutByTheRequestDeadline() throws Exception {
        start();
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /v1/bundles HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nab")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long t0 = System.nanoTime();
            // The server must close the connection on its own, well before our 20 s read timeout.
            byte[] rest = s.getInputStream().readAllBytes();
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
            assertTrue(seconds < 15, "cut after " + seconds + " s; got " + new String(rest, StandardCharsets.US_ASCII));
        }
        assertEquals(200, get("viewer", "/v1/status").statusCode(), "the server still serves");
    }

    @Test
    void flagsCarryAnEtagAndAnOverrideSurvivesARestart() throws Exception {
        start();
        HttpResponse<String> first = get("viewer", "/v1/config/flags");
        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertEquals(304, as("viewer", "GET", "/v1/config/flags", new byte[0], Map.of("If-None-Match", etag))
                .statusCode());
        HttpResponse<String> put = as("admin", "PUT", "/v1/config/flags", "{\"retry_cap\": 9}".getBytes(
                StandardCharsets.UTF_8), Map.of("If-Match", etag));
        assertEquals(200, put.statusCode(), put.body());
        assertFalse(put.headers().firstValue("ETag").orElseThrow().equals(etag));
        assertEquals(412, as("admin", "PUT", "/v1/config/flags", "{\"retry_cap\": 3}".getBytes(
                StandardCharsets.UTF_8), Map.of("If-Match", etag)).statusCode());
        stop();
        start();
        assertTrue(get("viewer", "/v1/config/flags").body().contains("\"retry_cap\":\"9\""));
        assertTrue(Files.readString(dir.resolve("api/flags.env")).contains("WAVEOS_FLAG_RETRY_CAP=9\n"));
    }

    @Test
    void aRepeatedPushReturnsTheFirstResultAndPlacesOnce() throws Exception {
        start();
        byte[] bundle = "not really a bundle".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> a = as("operator", "POST", "/v1/bundles", bundle, Map.of());
        HttpResponse<String> b = as("operator", "POST", "/v1/bundles", bundle, Map.of());
        assertEquals(202, a.statusCode(), a.body());
        assertEquals(202, b.statusCode());
        Object id = Json.parseObject(a.body().getBytes(StandardCharsets.UTF_8)).get("install_id");
        assertEquals(id, Json.parseObject(b.body().getBytes(StandardCharsets.UTF_8)).get("install_id"));
        assertEquals(1, agent.placed.get());
        HttpResponse<String> c = as("operator", "POST", "/v1/bundles", "other".getBytes(StandardCharsets.UTF_8),
                Map.of("Idempotency-Key", "k1"));
        HttpResponse<String> d = as("operator", "POST", "/v1/bundles", "other2".getBytes(StandardCharsets.UTF_8),
                Map.of("Idempotency-Key", "k1"));
        assertEquals(c.body(), d.body());
        assertEquals(2, agent.placed.get());
        assertTrue(get("viewer", "/v1/bundles/" + id).body().contains("\"state\":\"received\""));
        assertEquals(List.of(PushLedger.fileName(String.valueOf(id))), Files.list(dir.resolve("inbox"))
                .map(p -> p.getFileName().toString()).filter(n -> n.contains(String.valueOf(id))).toList());
    }

    @Test
    void shutdownDrainsARequestInFlight() throws Exception {
        start();
        agent.hold = new CountDownLatch(1);
        CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return get("viewer", "/v1/status");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Eventually(() -> server.answered().isEmpty() && inFlightSeen());
        CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
        agent.hold.countDown();
        assertEquals(200, inFlight.get(10, TimeUnit.SECONDS).statusCode());
        closing.get(10, TimeUnit.SECONDS);
        server = null;
        audit.close();
    }

    private boolean inFlightSeen() {
        return Files.exists(dir.resolve("audit.jsonl")) && readAudit().contains("\"decision\":\"allowed\"");
    }

    private String readAudit() {
        try {
            return Files.readString(dir.resolve("audit.jsonl"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void Eventually(java.util.function.BooleanSupplier c) {
        io.waveos.agent.fixture.Eventually.until(Duration.ofSeconds(10), c, () -> "request in flight");
    }

    @Test
    void everyAuthDecisionIsAuditedWithoutSecrets() throws Exception {
        start();
        get("viewer", "/v1/status");
        send("viewer", "wrong-secret-0123456789", "GET", "/v1/status", new byte[0], now(), "nonce-aaaaaaaaaaaaaaaa",
                Map.of());
        audit.close();
        String log = readAudit();
        assertTrue(log.contains("\"decision\":\"allowed\""), log);
        assertTrue(log.contains("\"code\":\"bad_signature\""), log);
        assertFalse(log.contains(VIEWER_SECRET), log);
        audit = new AuditLog(new LinuxStorage(), dir.resolve("audit2.jsonl"), 1 << 20, clocks);
    }
}
