package io.waveos.companion.frame;

import java.security.MessageDigest;

/**
 * One direction's HMAC-SHA256 key.
 *
 * @param id the key id carried in authenticated frames, 0..255
 * @param secret 16..64 bytes (32 random bytes recommended); copied in and out, never printed
 */
public record LinkKey(int id, byte[] secret) {

    public static final int MIN_SECRET_BYTES = 16;
    /** The HMAC-SHA256 block size; longer keys would be hashed first, which the spec does not allow. */
    public static final int MAX_SECRET_BYTES = 64;

    public LinkKey {
        if (id < 0 || id > 0xFF) {
            throw new IllegalArgumentException("key id must be 0..255, was " + id);
        }
        if (secret == null || secret.length < MIN_SECRET_BYTES || secret.length > MAX_SECRET_BYTES) {
            throw new IllegalArgumentException("key " + id + ": secret must be " + MIN_SECRET_BYTES + ".."
                    + MAX_SECRET_BYTES + " bytes, was " + (secret == null ? "null" : secret.length));
        }
        secret = secret.clone();
    }

    /** A copy of the secret. */
    @Override
    public byte[] secret() {
        return secret.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LinkKey k && k.id == id && MessageDigest.isEqual(k.secret, secret);
    }

    @Override
    public int hashCode() {
        return id;
    }

    @Override
    public String toString() {
        return "LinkKey[id=" + id + ", secret=(" + secret.length + " bytes, redacted)]";
    }
}
