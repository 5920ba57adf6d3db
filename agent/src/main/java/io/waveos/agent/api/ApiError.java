package io.waveos.agent.api;

/**
 * Stable error codes of the API, with their HTTP status. The wire form ({@link #code()}) never changes
 * once released: add codes, never rename them. A 401 carries its code and nothing else.
 */
public enum ApiError {
    MISSING_AUTH("missing_auth", 401),
    UNKNOWN_KEY("unknown_key", 401),
    BAD_SIGNATURE("bad_signature", 401),
    STALE_TIMESTAMP("stale_timestamp", 401),
    REPLAYED_NONCE("replayed_nonce", 401),
    BODY_MISMATCH("body_mismatch", 401),
    FORBIDDEN_ROLE("forbidden_role", 403),
    NOT_FOUND("not_found", 404),
    METHOD_NOT_ALLOWED("method_not_allowed", 405),
    BODY_TIMEOUT("body_timeout", 408),
    PRECONDITION_FAILED("precondition_failed", 412),
    BODY_TOO_LARGE("body_too_large", 413),
    MALFORMED("malformed", 400),
    RATE_LIMITED("rate_limited", 429),
    TOO_BUSY("too_busy", 429),
    AGENT_BUSY("agent_busy", 503),
    UNAVAILABLE("unavailable", 503);

    private final String code;
    private final int status;

    ApiError(String code, int status) {
        this.code = code;
        this.status = status;
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }
}
