package io.waveos.agent.spool;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * Forwards to an HTTP endpoint: one {@code POST} per batch with {@code Content-Type:
 * application/x-ndjson} and the batch as JSON lines; any 2xx status is the acknowledgement, anything
 * else (or no answer within {@code timeout}) a failure.
 */
public final class HttpTarget implements ForwardTarget {
    private final String name;
    private final URI uri;
    private final Duration timeout;
    private final HttpClient client;

    public HttpTarget(String name, URI uri, Duration timeout) {
        this.name = name;
        this.uri = uri;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void send(List<SpoolRecord> batch) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofByteArray(ForwardTarget.jsonLines(batch))).build();
        HttpResponse<Void> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while forwarding to " + uri, e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new IOException("HTTP " + response.statusCode() + " from " + uri);
        }
    }
}
