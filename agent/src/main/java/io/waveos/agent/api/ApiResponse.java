package io.waveos.agent.api;

import io.waveos.bundles.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** An answer: status, content type, extra headers and the body bytes. */
public record ApiResponse(int status, String contentType, Map<String, String> headers, byte[] body) {
    public static final String JSON = "application/json";

    public ApiResponse {
        headers = Map.copyOf(headers);
        body = body.clone();
    }

    public static ApiResponse json(int status, Object value) {
        return new ApiResponse(status, JSON, Map.of(), (Json.write(value) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The error body: the code, and for anything but 401 what was wrong. */
    public static ApiResponse error(ApiFailure f) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", f.error().code());
        if (f.error().status() != 401 && !f.detail().isEmpty()) {
            body.put("detail", f.detail());
        }
        return json(f.error().status(), body);
    }

    public ApiResponse withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new ApiResponse(status, contentType, h, body);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }
}
