package io.waveos.bundles.manifest;

import io.waveos.bundles.BundleError;
import io.waveos.bundles.BundleRejected;
import java.nio.charset.StandardCharsets;

/**
 * The rules for a payload file path (in the manifest) and, after its {@code payload/} prefix, for a
 * payload member name (in the archive). Checked in this order; the first broken rule decides the code:
 * <ol>
 *   <li>control characters (U+0000 to U+001F, U+007F) or a backslash: {@link BundleError#NAME_INVALID};</li>
 *   <li>starts with {@code /} (absolute) or has a {@code ..} component: {@link BundleError#PATH_UNSAFE};</li>
 *   <li>empty, an empty component ({@code a//b}, trailing {@code /}) or a {@code .} component:
 *       {@link BundleError#NAME_INVALID};</li>
 *   <li>a component over {@value #MAX_COMPONENT_BYTES} UTF-8 bytes or the whole over
 *       {@value #MAX_PATH_BYTES} bytes: {@link BundleError#NAME_INVALID}.</li>
 * </ol>
 * Invalid UTF-8 cannot reach here from the manifest (the JSON parser refuses it); archive readers
 * refuse it as {@link BundleError#NAME_INVALID} before calling. Paths are compared byte for byte
 * (case-sensitive, no Unicode normalization).
 */
public final class PayloadPath {

    public static final int MAX_COMPONENT_BYTES = 255;
    public static final int MAX_PATH_BYTES = 1024;

    private PayloadPath() {
    }

    /**
     * Checks {@code path}.
     *
     * @param where the manifest field or member the path came from, for the refusal
     */
    public static void check(String path, String where) throws BundleRejected {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new BundleRejected(BundleError.NAME_INVALID, where,
                        "no control characters in names (found U+" + String.format("%04X", (int) c) + " at " + i + ")");
            }
            if (c == '\\') {
                throw new BundleRejected(BundleError.NAME_INVALID, where, "no backslash in names; the separator is /");
            }
        }
        if (path.startsWith("/")) {
            throw new BundleRejected(BundleError.PATH_UNSAFE, where, "a relative path (no leading /)");
        }
        String[] parts = path.split("/", -1);
        for (String part : parts) {
            if (part.equals("..")) {
                throw new BundleRejected(BundleError.PATH_UNSAFE, where, "no .. components");
            }
        }
        if (path.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            throw new BundleRejected(BundleError.NAME_INVALID, where, "at most " + MAX_PATH_BYTES + " UTF-8 bytes");
        }
        for (String part : parts) {
            if (part.isEmpty() || part.equals(".")) {
                throw new BundleRejected(BundleError.NAME_INVALID, where,
                        "non-empty components other than . (\"" + path + "\")");
            }
            if (part.getBytes(StandardCharsets.UTF_8).length > MAX_COMPONENT_BYTES) {
                throw new BundleRejected(BundleError.NAME_INVALID, where,
                        "components of at most " + MAX_COMPONENT_BYTES + " UTF-8 bytes");
            }
        }
    }
}
