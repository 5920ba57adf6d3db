package io.waveos.agent.update.tool;

import io.waveos.bundles.BundleError;
import io.waveos.bundles.BundleRejected;
import io.waveos.bundles.archive.TarMember;
import io.waveos.bundles.archive.TarReader;
import io.waveos.bundles.archive.TruncatedArchiveException;
import io.waveos.bundles.manifest.Manifest;
import io.waveos.bundles.manifest.ManifestCodec;
import io.waveos.bundles.signature.Envelope;
import io.waveos.bundles.signature.EnvelopeCodec;
import io.waveos.bundles.verify.VerifyPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * The first member of a bundle, {@code manifest.dsse.json}, read WITHOUT a trust root (for
 * {@code inspect} and {@code sign}): the envelope must parse and carry a valid manifest, but no
 * signature is checked. Refusals use the same codes as the verifier.
 *
 * @param bytes the member's bytes as stored
 * @param envelope the parsed envelope
 * @param manifest the parsed manifest (its rules checked, its signatures not)
 */
record ManifestMember(byte[] bytes, Envelope envelope, Manifest manifest) {

    ManifestMember {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Reads the first member from {@code reader}, which is left positioned after it. */
    static ManifestMember read(TarReader reader) throws BundleRejected, IOException {
        Optional<TarMember> first = reader.next();
        if (first.isEmpty() || !first.get().name().equals(BuildCommand.MANIFEST_MEMBER)) {
            throw new BundleRejected(BundleError.MANIFEST_MISSING, first.map(TarMember::name).orElse("archive"),
                    "the first member is " + BuildCommand.MANIFEST_MEMBER);
        }
        if (first.get().type() != TarMember.Type.REGULAR) {
            throw new BundleRejected(BundleError.SPECIAL_MEMBER, BuildCommand.MANIFEST_MEMBER, "a regular file");
        }
        if (first.get().size() > VerifyPolicy.DEFAULT_MAX_MANIFEST_BYTES) {
            throw new BundleRejected(BundleError.TOO_LARGE, BuildCommand.MANIFEST_MEMBER,
                    "at most " + VerifyPolicy.DEFAULT_MAX_MANIFEST_BYTES + " bytes, declares " + first.get().size());
        }
        byte[] bytes;
        try (InputStream in = reader.content()) {
            bytes = in.readAllBytes();
        } catch (TruncatedArchiveException e) {
            throw e.getRejection();
        }
        Envelope env = EnvelopeCodec.parse(bytes, BuildCommand.MANIFEST_MEMBER, BundleError.ENVELOPE_MALFORMED);
        if (!env.payloadType().equals(BuildCommand.MANIFEST_TYPE)) {
            throw new BundleRejected(BundleError.ENVELOPE_MALFORMED, BuildCommand.MANIFEST_MEMBER + ".payloadType",
                    BuildCommand.MANIFEST_TYPE + ", found \"" + env.payloadType() + "\"");
        }
        return new ManifestMember(bytes, env, ManifestCodec.parse(env.payload()));
    }
}
