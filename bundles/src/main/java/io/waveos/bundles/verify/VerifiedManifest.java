package io.waveos.bundles.verify;

import io.waveos.bundles.manifest.Manifest;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A manifest whose signatures, rules and device policy all passed.
 *
 * @param manifest the parsed manifest
 * @param envelopeSha256 SHA-256 of the {@code manifest.dsse.json} bytes as they were in the archive
 *     (identifies exactly what was verified, for the journal and evidence)
 * @param signedBy keyids of the trust root's keys for this kind whose signatures verified, sorted
 */
public record VerifiedManifest(Manifest manifest, byte[] envelopeSha256, List<String> signedBy) {

    public VerifiedManifest {
        Objects.requireNonNull(manifest, "manifest");
        envelopeSha256 = envelopeSha256.clone();
        signedBy = List.copyOf(signedBy);
        if (envelopeSha256.length != 32) {
            throw new IllegalArgumentException("envelopeSha256 must be 32 bytes");
        }
    }

    @Override
    public byte[] envelopeSha256() {
        return envelopeSha256.clone();
    }

    public String envelopeSha256Hex() {
        return HexFormat.of().formatHex(envelopeSha256);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VerifiedManifest v && v.manifest.equals(manifest)
                && java.util.Arrays.equals(v.envelopeSha256, envelopeSha256) && v.signedBy.equals(signedBy);
    }

    @Override
    public int hashCode() {
        return Objects.hash(manifest, java.util.Arrays.hashCode(envelopeSha256), signedBy);
    }

    @Override
    public String toString() {
        return "VerifiedManifest[" + manifest.bundleId() + ", envelope sha256=" + envelopeSha256Hex() + ", signedBy=" + signedBy + "]";
    }
}
