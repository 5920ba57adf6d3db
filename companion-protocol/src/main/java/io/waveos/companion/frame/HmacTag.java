package io.waveos.companion.frame;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 under one {@link LinkKey}, with a reusable output buffer. Confined to one thread. */
final class HmacTag {

    static final int FULL_TAG_BYTES = 32;

    private final int keyId;
    private final Mac mac;
    private final byte[] full = new byte[FULL_TAG_BYTES];

    HmacTag(LinkKey key) {
        this.keyId = key.id();
        try {
            this.mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.secret(), "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            // Every Java SE platform must provide HmacSHA256.
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    int keyId() {
        return keyId;
    }

    /** Computes the full 32-byte tag of {@code data[off, off+len)}; the result is valid until the next call. */
    byte[] compute(byte[] data, int off, int len) {
        mac.update(data, off, len);
        try {
            mac.doFinal(full, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException("a 32-byte buffer holds an HMAC-SHA256", e);
        }
        return full;
    }
}
