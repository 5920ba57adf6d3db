package io.waveos.agent.api;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signing scheme (docs/api.md, "Authentication"): HMAC-SHA256 with the key's secret over
 * <pre>
 * WAVEOS-HMAC-SHA256\n METHOD\n PATH_WITH_QUERY\n TIMESTAMP\n NONCE\n HEX_SHA256_OF_BODY
 * </pre>
 * (lines joined by a single {@code \n}, no trailing newline), hex encoded in lower case.
 */
public final class RequestSigning {
    public static final String SCHEME = "WAVEOS-HMAC-SHA256";
    public static final String KEY_ID = "X-Waveos-Key-Id";
    public static final String TIMESTAMP = "X-Waveos-Timestamp";
    public static final String NONCE = "X-Waveos-Nonce";
    public static final String CONTENT_SHA256 = "X-Waveos-Content-Sha256";
    public static final String SIGNATURE = "X-Waveos-Signature";
    /** SHA-256 of no bytes: the body hash of a request without a body. */
    public static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private RequestSigning() {
    }

    /** The exact text that is signed. */
    public static String canonical(String method, String pathWithQuery, long timestamp, String nonce,
            String bodySha256) {
        return SCHEME + "\n" + method + "\n" + pathWithQuery + "\n" + timestamp + "\n" + nonce + "\n" + bodySha256;
    }

    /** Lower-case hex HMAC-SHA256 of {@code canonical} with {@code secret} (its UTF-8 bytes). */
    public static String sign(String secret, String canonical) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
        }
    }

    /** Constant-time comparison of two signatures (or hashes) as text. */
    public static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
