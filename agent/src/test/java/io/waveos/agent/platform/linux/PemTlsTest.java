package io.waveos.agent.platform.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.waveos.agent.api.ApiRouter;
import io.waveos.agent.api.ApiService;
import io.waveos.agent.api.AuditLog;
import io.waveos.agent.api.Authenticator;
import io.waveos.agent.api.FlagStore;
import io.waveos.agent.api.PushLedger;
import io.waveos.agent.api.RequestSigning;
import io.waveos.agent.config.ApiConfig;
import io.waveos.agent.config.ApiRole;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API over HTTPS with a key and certificate made by openssl for the test (self-signed, 127.0.0.1). */
class PemTlsTest {
    static final String SECRET = "viewer-secret-0123456789";

    @TempDir
    Path dir;

    private final SystemClocks clocks = new SystemClocks();
    private ApiHttpServer server;
    private AuditLog audit;

    /** Answers status only; nothing else is asked here. */
    static final class StatusOnly implements ApiService {
        @Override
        public CompletableFuture<Boolean> ping() {
            return CompletableFuture.completedFuture(true);
        }

        @Override
        public CompletableFuture<Readiness> readiness() {
            return CompletableFuture.completedFuture(new Readiness(true, "ok"));
        }

        @Override
        public CompletableFuture<Map<String, Object>> status() {
            return CompletableFuture.completedFuture(Map.of("mode", "NORMAL"));
        }

        @Override
        public CompletableFuture<String> metrics() {
            return CompletableFuture.completedFuture("");
        }

        @Override
        public CompletableFuture<List<Map<String, Object>>> events(long since, int limit) {
            return CompletableFuture.completedFuture(List.of());
        }

        @Override
        public CompletableFuture<Boolean> restart(String service, String operator) {
            return CompletableFuture.completedFuture(false);
        }

        @Override
        public CompletableFuture<String> exportEvidence(String operator) {
            return CompletableFuture.completedFuture("error not here");
        }

        @Override
        public void flagsOverridden(Map<String, String> changes, String operator) {
        }

        @Override
        public void placeBundle(InputStream body, String installId) throws IOException {
            throw new IOException("no pushes in this test");
        }
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
            audit.close();
        }
    }

    /** A self-signed EC P-256 key (PKCS#8 PEM) and certificate for 127.0.0.1, made by openssl. */
    private ApiConfig.Tls selfSigned() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed");
        Path key = dir.resolve("api.key");
        Path cert = dir.resolve("api.crt");
        Process p = new ProcessBuilder("/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key.toString(), "-out", cert.toString(),
                "-days", "2", "-subj", "/CN=waveos-test", "-addext", "subjectAltName=IP:127.0.0.1")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "openssl did not finish");
        assertEquals(0, p.exitValue(), out);
        assertTrue(Files.readString(key).startsWith("-----BEGIN PRIVATE KEY-----"), "not PKCS#8");
        return new ApiConfig.Tls(key, cert);
    }

    private int start(ApiConfig.Tls tls) throws IOException {
        ApiConfig c = new ApiConfig("127.0.0.1", 0, Optional.of(tls),
                List.of(new ApiConfig.Key("viewer", SECRET, ApiRole.VIEWER)), ApiConfig.Limits.defaults(), Map.of(),
                false);
        audit = new AuditLog(new LinuxStorage(), dir.resolve("audit.jsonl"), 1 << 20, clocks);
        FlagStore flags = new FlagStore(c.flags(), new LinuxStorage(), dir.resolve("api"));
        server = new ApiHttpServer(c, new ApiRouter(new StatusOnly(), new PushLedger(), flags,
                c.limits().replyTimeout(), "t"), new Authenticator(c, clocks), audit, clocks,
                Optional.of(PemTls.context(tls)));
        return server.port();
    }

    /** A client that trusts exactly the test's certificate. */
    private static HttpClient trusting(Path cert) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, new char[0]);
        try (InputStream in = Files.newInputStream(cert)) {
            trust.setCertificateEntry("api", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(10)).build();
    }

    private HttpRequest signedStatus(URI base) {
        String path = "/v1/status";
        ApiClient signer = new ApiClient(base, "viewer", SECRET);
        String sha = HexFormat.of().formatHex(RequestSigning.sha256().digest(new byte[0]));
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20)).GET();
        signer.sign("GET", path, sha, clocks.now().getEpochSecond(), signer.nonce()).forEach(b::header);
        return b.build();
    }

    @Test
    void aSignedRequestOverHttpsIsAnsweredAndPlainHttpToTheTlsPortFails() throws Exception {
        ApiConfig.Tls tls = selfSigned();
        int port = start(tls);

        HttpResponse<String> r = trusting(tls.certFile()).send(signedStatus(URI.create("https://127.0.0.1:" + port)),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("NORMAL"), r.body());
        assertTrue(r.sslSession().isPresent(), "answered without TLS");

        IOException plain = assertThrows(IOException.class, () -> HttpClient.newHttpClient().send(
                signedStatus(URI.create("http://127.0.0.1:" + port)), HttpResponse.BodyHandlers.ofString()));
        assertFalse(plain instanceof HttpTimeoutException, "plain HTTP hung instead of failing: " + plain);
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateIsRefusedByItsOwnHandshake() throws Exception {
        int port = start(selfSigned());
        assertThrows(javax.net.ssl.SSLHandshakeException.class, () -> HttpClient.newHttpClient().send(
                signedStatus(URI.create("https://127.0.0.1:" + port)), HttpResponse.BodyHandlers.ofString()));
    }

    @Test
    void aKeyFileThatIsNotAPkcs8KeyIsRefusedNamingTheFile() throws Exception {
        ApiConfig.Tls tls = selfSigned();
        Files.writeString(tls.keyFile(), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        IOException e = assertThrows(IOException.class, () -> PemTls.context(tls));
        assertTrue(e.getMessage().contains(tls.keyFile().toString()), e.getMessage());
    }
}
