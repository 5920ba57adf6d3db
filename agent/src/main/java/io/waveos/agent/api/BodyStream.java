package io.waveos.agent.api;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * A request body as the router reads it: at most {@code maxBytes} (then {@link ApiError#BODY_TOO_LARGE}),
 * and at its end the SHA-256 of what was read must be the signed one (else {@link ApiError#BODY_MISMATCH}),
 * so a reader that reaches the end has read exactly the signed bytes.
 */
public final class BodyStream extends InputStream {
    private final InputStream in;
    private final long maxBytes;
    private final String expectedSha256;
    private final MessageDigest digest = RequestSigning.sha256();
    private long read;
    private boolean checked;

    public BodyStream(InputStream in, long maxBytes, String expectedSha256) {
        this.in = in;
        this.maxBytes = maxBytes;
        this.expectedSha256 = expectedSha256;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int n = in.read(b, off, (int) Math.min(len, maxBytes - read + 1));
        if (n < 0) {
            if (!checked) {
                checked = true;
                if (!RequestSigning.same(HexFormat.of().formatHex(digest.digest()), expectedSha256)) {
                    throw new ApiFailure(ApiError.BODY_MISMATCH, "");
                }
            }
            return -1;
        }
        read += n;
        if (read > maxBytes) {
            throw new ApiFailure(ApiError.BODY_TOO_LARGE, "the body is larger than " + maxBytes + " bytes");
        }
        digest.update(b, off, n);
        return n;
    }

    /** Bytes read so far. */
    public long bytesRead() {
        return read;
    }
}
