package io.waveos.agent.api;

import java.io.IOException;

/**
 * A request refused with a stable code. An {@link IOException} so that a body stream can raise it
 * (a body larger than the cap, or whose hash is not the signed one) through the readers of the body.
 */
public final class ApiFailure extends IOException {
    private static final long serialVersionUID = 1L;
    private final ApiError error;
    private final String detail;

    /** @param detail what was wrong, shown to the caller except for 401 (auth failures carry no detail) */
    public ApiFailure(ApiError error, String detail) {
        super(error.code() + ": " + detail);
        this.error = error;
        this.detail = detail;
    }

    public ApiError error() {
        return error;
    }

    public String detail() {
        return detail;
    }
}
