package io.waveos.agent.platform.linux;

import io.waveos.agent.api.RequestSigning;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.LongConsumer;

/** Signs and sends API requests (docs/api.md): the client of {@code waveos push|status|flags} and of tests. */
public final class ApiClient {
    private final URI base;
    private final String keyId;
    private final String secret;
    private final HttpClient http;
    private final SecureRandom random = new SecureRandom();

    public ApiClient(URI base, String keyId, String secret) {
        this.base = base;
        this.keyId = keyId;
        this.secret = secret;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** A fresh random nonce (24 hex characters). */
    public String nonce() {
        byte[] b = new byte[12];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** The signature headers for a request. */
    public Map<String, String> sign(String method, String pathWithQuery, String bodySha256, long epochSeconds,
            String nonce) {
        String sig = RequestSigning.sign(secret, RequestSigning.canonical(method, pathWithQuery, epochSeconds, nonce,
                bodySha256));
        return Map.of(RequestSigning.KEY_ID, keyId, RequestSigning.TIMESTAMP, Long.toString(epochSeconds),
                RequestSigning.NONCE, nonce, RequestSigning.CONTENT_SHA256, bodySha256, RequestSigning.SIGNATURE, sig);
    }

    /** Sends a signed request with a small body (or none). */
    public HttpResponse<String> send(String method, String pathWithQuery, byte[] body, Map<String, String> extra)
            throws IOException, InterruptedException {
        String sha = HexFormat.of().formatHex(RequestSigning.sha256().digest(body));
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(pathWithQuery)).timeout(Duration.ofSeconds(60))
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        sign(method, pathWithQuery, sha, System.currentTimeMillis() / 1000, nonce()).forEach(b::header);
        extra.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Streams a bundle file to {@code POST /v1/bundles}: hashed once to sign, then sent, reporting bytes
     * sent to {@code progress}.
     */
    public HttpResponse<String> push(Path bundle, Map<String, String> extra, LongConsumer progress)
            throws IOException, InterruptedException {
        MessageDigest d = RequestSigning.sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(bundle), d)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        String sha = HexFormat.of().formatHex(d.digest());
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve("/v1/bundles")).timeout(Duration.ofMinutes(30))
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> {
                    try {
                        return new CountingStream(Files.newInputStream(bundle), progress);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }), Files.size(bundle)));
        sign("POST", "/v1/bundles", sha, System.currentTimeMillis() / 1000, nonce()).forEach(b::header);
        extra.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static final class CountingStream extends java.io.FilterInputStream {
        private final LongConsumer progress;
        private long sent;

        CountingStream(InputStream in, LongConsumer progress) {
            super(in);
            this.progress = progress;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                sent += n;
                progress.accept(sent);
            }
            return n;
        }
    }
}
