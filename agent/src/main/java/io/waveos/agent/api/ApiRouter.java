package io.waveos.agent.api;

import io.waveos.agent.config.ApiRole;
import io.waveos.bundles.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Routes an authenticated request to its answer (docs/api.md, "Endpoints"), checking the role each
 * endpoint needs. Waits for the agent's loop at most {@code replyTimeout}.
 */
public final class ApiRouter {
    static final Pattern BUNDLE = Pattern.compile("/v1/bundles/([A-Za-z0-9_-]{1,80})");
    static final Pattern RESTART = Pattern.compile("/v1/services/([A-Za-z0-9_.-]{1,64})/restart");
    static final int MAX_JSON = 64 * 1024;
    static final int MAX_EVENTS = 1000;

    private final ApiService agent;
    private final PushLedger pushes;
    private final FlagStore flags;
    private final Duration replyTimeout;
    private final String idPrefix;

    public ApiRouter(ApiService agent, PushLedger pushes, FlagStore flags, Duration replyTimeout, String idPrefix) {
        this.agent = agent;
        this.pushes = pushes;
        this.flags = flags;
        this.replyTimeout = replyTimeout;
        this.idPrefix = idPrefix;
    }

    /** The role {@code method path} needs; empty when no endpoint matches. */
    public static Optional<ApiRole> roleFor(String method, String path) {
        String key = method + " " + path;
        if (BUNDLE.matcher(path).matches()) {
            key = method + " /v1/bundles/{id}";
        } else if (RESTART.matcher(path).matches()) {
            key = method + " /v1/services/{name}/restart";
        }
        return Optional.ofNullable(switch (key) {
            case "GET /healthz", "GET /readyz", "GET /metrics", "GET /v1/status", "GET /v1/events",
                    "GET /v1/config/flags", "GET /v1/bundles/{id}" -> ApiRole.VIEWER;
            case "POST /v1/bundles", "POST /v1/evidence", "POST /v1/services/{name}/restart" -> ApiRole.OPERATOR;
            case "PUT /v1/config/flags" -> ApiRole.ADMIN;
            default -> null;
        });
    }

    /** True when some method is routed at {@code path} (so a wrong method is 405, not 404). */
    public static boolean knownPath(String path) {
        for (String m : new String[] {"GET", "PUT", "POST"}) {
            if (roleFor(m, path).isPresent()) {
                return true;
            }
        }
        return false;
    }

    /** Answers {@code r}; its role was already checked by the transport. */
    public ApiResponse route(ApiRequest r) throws ApiFailure, IOException {
        String operator = "api:" + r.principal().keyId();
        Matcher bundle = BUNDLE.matcher(r.path());
        Matcher restart = RESTART.matcher(r.path());
        if (bundle.matches()) {
            return pushes.get(bundle.group(1)).map(p -> ApiResponse.json(200, describe(p)))
                    .orElseThrow(() -> new ApiFailure(ApiError.NOT_FOUND, "no push with install id " + bundle.group(1)));
        }
        if (restart.matches()) {
            if (!await(agent.restart(restart.group(1), operator))) {
                throw new ApiFailure(ApiError.NOT_FOUND, "no service named " + restart.group(1));
            }
            return ApiResponse.json(202, Map.of("service", restart.group(1), "restart", "requested"));
        }
        switch (r.method() + " " + r.path()) {
            case "GET /readyz" -> {
                ApiService.Readiness ready = await(agent.readiness());
                return ApiResponse.json(ready.ready() ? 200 : 503, Map.of("ready", ready.ready(), "reason",
                        ready.reason()));
            }
            case "GET /metrics" -> {
                return metrics();
            }
            case "GET /v1/status" -> {
                return ApiResponse.json(200, await(agent.status()));
            }
            case "GET /v1/events" -> {
                return events(r.query());
            }
            case "GET /v1/config/flags" -> {
                return getFlags(r);
            }
            case "PUT /v1/config/flags" -> {
                return putFlags(r, operator);
            }
            case "POST /v1/bundles" -> {
                return push(r);
            }
            case "POST /v1/evidence" -> {
                String answer = await(agent.exportEvidence(operator));
                if (!answer.startsWith("ok")) {
                    throw new ApiFailure(ApiError.UNAVAILABLE, answer.replaceFirst("^error ", "").trim());
                }
                return ApiResponse.json(200, Map.of("result", answer.trim()));
            }
            default -> throw new ApiFailure(ApiError.NOT_FOUND, "no endpoint " + r.method() + " " + r.path());
        }
    }

    /** The metrics answer, for an unsigned scrape when {@code api.open_metrics} allows it. */
    public ApiResponse metrics() {
        try {
            return new ApiResponse(200, "text/plain; version=0.0.4; charset=utf-8", Map.of(),
                    await(agent.metrics()).getBytes(StandardCharsets.UTF_8));
        } catch (ApiFailure f) {
            return ApiResponse.error(f);
        }
    }

    /** The liveness answer: the loop ran a no-op within the timeout. */
    public ApiResponse health() {
        try {
            await(agent.ping());
            return ApiResponse.json(200, Map.of("status", "ok"));
        } catch (ApiFailure f) {
            return ApiResponse.json(503, Map.of("status", "loop not responding"));
        }
    }

    private ApiResponse events(String query) throws ApiFailure {
        long since = 0;
        int limit = 200;
        for (String part : query.isEmpty() ? new String[0] : query.split("&")) {
            String[] kv = part.split("=", 2);
            if (kv.length != 2 || !kv[1].matches("\\d{1,18}")) {
                throw new ApiFailure(ApiError.MALFORMED, "query: expected since=SEQ and limit=N as decimal numbers");
            }
            switch (kv[0]) {
                case "since" -> since = Long.parseLong(kv[1]);
                case "limit" -> limit = (int) Math.min(MAX_EVENTS, Math.max(1, Long.parseLong(kv[1])));
                default -> throw new ApiFailure(ApiError.MALFORMED, "query: unknown parameter '" + kv[0]
                        + "'; known: since, limit");
            }
        }
        return ApiResponse.json(200, Map.of("events", await(agent.events(since, limit))));
    }

    private ApiResponse getFlags(ApiRequest r) {
        String etag = flags.etag();
        if (r.header().apply("If-None-Match").filter(etag::equals).isPresent()) {
            return new ApiResponse(304, ApiResponse.JSON, Map.of("ETag", etag), new byte[0]);
        }
        return ApiResponse.json(200, flagDoc()).withHeader("ETag", etag);
    }

    private Map<String, Object> flagDoc() {
        return Map.of("flags", new LinkedHashMap<>(flags.effective()),
                "overrides", new LinkedHashMap<>(flags.overrides()));
    }

    private ApiResponse putFlags(ApiRequest r, String operator) throws ApiFailure, IOException {
        byte[] body = r.body().readNBytes(MAX_JSON + 1);
        if (body.length > MAX_JSON) {
            throw new ApiFailure(ApiError.BODY_TOO_LARGE, "a flags document is at most " + MAX_JSON + " bytes");
        }
        Map<String, Object> doc;
        try {
            doc = Json.parseObject(body);
        } catch (Json.ParseException e) {
            throw new ApiFailure(ApiError.MALFORMED, "body: not a JSON object: " + e.getMessage());
        }
        Map<String, String> changes = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : doc.entrySet()) {
            Object v = e.getValue();
            if (!(v instanceof String || v instanceof Long || v instanceof Double || v instanceof Boolean)) {
                throw new ApiFailure(ApiError.MALFORMED, "body." + e.getKey()
                        + ": expected a string, number or boolean");
            }
            changes.put(e.getKey(), String.valueOf(v));
        }
        if (changes.isEmpty()) {
            throw new ApiFailure(ApiError.MALFORMED, "body: expected at least one flag");
        }
        flags.override(changes, r.header().apply("If-Match"));
        agent.flagsOverridden(changes, operator);
        return ApiResponse.json(200, flagDoc()).withHeader("ETag", flags.etag());
    }

    private ApiResponse push(ApiRequest r) throws IOException {
        // Without an Idempotency-Key the signed body hash is the key: the same bundle bytes install once.
        String key = r.header().apply("Idempotency-Key").filter(k -> k.matches("[A-Za-z0-9_.:-]{1,128}"))
                .map(k -> "key:" + r.principal().keyId() + ":" + k).orElse("sha256:" + r.principal().bodySha256());
        PushLedger.Reservation res = pushes.reserve(key, idPrefix);
        if (!res.fresh()) {
            r.body().transferTo(java.io.OutputStream.nullOutputStream());
            return ApiResponse.json(202, describe(res.push())).withHeader("Idempotent-Replay", "true");
        }
        try {
            agent.placeBundle(r.body(), res.push().installId());
        } catch (IOException | RuntimeException e) {
            pushes.abandon(res.push().installId());
            throw e;
        }
        return ApiResponse.json(202, describe(pushes.placed(res.push().installId())))
                .withHeader("Location", "/v1/bundles/" + res.push().installId());
    }

    static Map<String, Object> describe(PushLedger.Push p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("install_id", p.installId());
        m.put("state", p.state().wire());
        p.code().ifPresent(c -> m.put("code", c));
        return m;
    }

    private <T> T await(CompletableFuture<T> f) throws ApiFailure {
        try {
            return f.get(replyTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ApiFailure(ApiError.AGENT_BUSY, "the agent did not answer within " + replyTimeout.toMillis()
                    + " ms");
        } catch (ExecutionException e) {
            throw new ApiFailure(ApiError.UNAVAILABLE, String.valueOf(e.getCause().getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiFailure(ApiError.AGENT_BUSY, "interrupted");
        }
    }
}
