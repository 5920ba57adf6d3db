package io.waveos.bundles.manifest;

import java.util.HexFormat;
import java.util.Objects;

/**
 * One payload file as the manifest lists it.
 *
 * @param path relative to the archive's {@code payload/} folder and to the slot, {@code /}-separated,
 *     already checked by {@link PayloadPath}
 * @param size exact size in bytes
 * @param sha256 the 32-byte SHA-256 of the content
 * @param mode permission bits, at most {@code 0777} (no set-id or sticky bits)
 */
public record PayloadFile(String path, long size, byte[] sha256, int mode) {

    public PayloadFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sha256, "sha256");
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
        if (sha256.length != 32) {
            throw new IllegalArgumentException("sha256 must be 32 bytes, is " + sha256.length);
        }
        if ((mode & ~0777) != 0) {
            throw new IllegalArgumentException("mode must be within 0777: " + Integer.toOctalString(mode));
        }
        sha256 = sha256.clone();
    }

    @Override
    public byte[] sha256() {
        return sha256.clone();
    }

    public String sha256Hex() {
        return HexFormat.of().formatHex(sha256);
    }

    /** The member name in the archive. */
    public String memberName() {
        return "payload/" + path;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PayloadFile p && p.path.equals(path) && p.size == size
                && java.util.Arrays.equals(p.sha256, sha256) && p.mode == mode;
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, size, java.util.Arrays.hashCode(sha256), mode);
    }

    @Override
    public String toString() {
        return "PayloadFile[" + path + ", " + size + " B, sha256=" + sha256Hex() + ", mode="
                + Integer.toOctalString(mode) + "]";
    }
}
