package io.waveos.agent.api;

import java.io.InputStream;
import java.util.Optional;
import java.util.function.Function;

/**
 * An authenticated request as the router sees it.
 *
 * @param path the raw path, already checked to be plain (no dot segments, escapes or doubled slashes)
 * @param query the raw query, empty when none
 * @param header a header by name (case-insensitive)
 * @param body the body, bounded and checked against the signed hash as it is read
 */
public record ApiRequest(String method, String path, String query, Principal principal,
        Function<String, Optional<String>> header, InputStream body) {
}
