package io.waveos.bundles.verify;

import io.waveos.bundles.BundleError;
import io.waveos.bundles.BundleRejected;
import io.waveos.bundles.archive.TarMember;
import io.waveos.bundles.archive.TarReader;
import io.waveos.bundles.archive.TruncatedArchiveException;
import io.waveos.bundles.trust.TrustRoot;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies a bundle as it streams, in the order {@code docs/bundle-format.md} fixes: the first member
 * must be {@code manifest.dsse.json} and is verified completely (signatures, rules, device policy)
 * before any payload byte is read; then each payload member is checked and hashed as it streams to the
 * {@link PayloadSink}; at the end every listed file must have been seen. The first broken rule ends
 * verification with a {@link BundleRejected}. Reads at most {@link VerifyPolicy#maxBundleBytes()} bytes
 * from the stream and never past a declared size; executes nothing. The caller owns (and closes) the
 * stream. Immutable; one call at a time per stream, any number of calls per instance.
 */
public final class BundleVerifier {

    /** The name of a bundle's first member. */
    public static final String MANIFEST_MEMBER = "manifest.dsse.json";
    /** The DSSE payload type of a bundle's manifest envelope. */
    public static final String MANIFEST_PAYLOAD_TYPE = "application/vnd.waveos.manifest+json";
    /** Payload member names are this prefix followed by the manifest's path. */
    public static final String PAYLOAD_PREFIX = MemberRules.PAYLOAD_PREFIX;

    private final TrustRoot root;
    private final VerifyPolicy policy;

    public BundleVerifier(TrustRoot root, VerifyPolicy policy) {
        this.root = Objects.requireNonNull(root, "root");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /** Verifies only the first member, {@code manifest.dsse.json}; reads nothing after it. */
    public VerifiedManifest verifyManifest(InputStream bundle) throws BundleRejected, IOException {
        return readManifest(new TarReader(bundle, policy.maxBundleBytes()));
    }

    /** Verifies the whole bundle, streaming each payload file into {@code sink}. */
    public VerifiedManifest verify(InputStream bundle, PayloadSink sink) throws BundleRejected, IOException {
        return verify(bundle, sink, Progress.none());
    }

    /** As {@link #verify(InputStream, PayloadSink)}, reporting payload bytes to {@code progress}. */
    public VerifiedManifest verify(InputStream bundle, PayloadSink sink, Progress progress) throws BundleRejected, IOException {
        return verify(bundle, sink, progress, verified -> { });
    }

    /**
     * The payload of the bundle whose manifest {@code preflight} is, for the installer: each read of
     * it verifies the whole bundle again and refuses a different manifest before streaming.
     */
    public VerifiedPayload payload(VerifiedManifest preflight, VerifiedPayload.Source source) {
        return new VerifiedPayload(this, preflight, source);
    }

    /** Checks a manifest that verified, before any payload byte is streamed. */
    @FunctionalInterface
    interface ManifestGate {
        void check(VerifiedManifest verified) throws BundleRejected;
    }

    VerifiedManifest verify(InputStream bundle, PayloadSink sink, Progress progress, ManifestGate gate)
            throws BundleRejected, IOException {
        TarReader reader = new TarReader(bundle, policy.maxBundleBytes());
        VerifiedManifest verified = readManifest(reader);
        gate.check(verified);
        PayloadMembers members = new PayloadMembers(verified.manifest(), progress);
        for (Optional<TarMember> m = reader.next(); m.isPresent(); m = reader.next()) {
            members.accept(m.get(), reader.content(), sink);
        }
        members.finish();
        return verified;
    }

    private VerifiedManifest readManifest(TarReader reader) throws BundleRejected, IOException {
        Optional<TarMember> first = reader.next();
        if (first.isEmpty()) {
            throw new BundleRejected(BundleError.MANIFEST_MISSING, "archive",
                    "a first member " + ManifestCheck.MEMBER + ", the archive is empty");
        }
        TarMember member = first.get();
        if (!member.name().equals(ManifestCheck.MEMBER)) {
            throw new BundleRejected(BundleError.MANIFEST_MISSING, MemberRules.printable(member.name()),
                    "the first member is " + ManifestCheck.MEMBER);
        }
        MemberRules.requireRegular(member);
        if (member.size() > policy.maxManifestBytes()) {
            throw new BundleRejected(BundleError.TOO_LARGE, ManifestCheck.MEMBER,
                    "at most " + policy.maxManifestBytes() + " bytes, declares " + member.size());
        }
        byte[] bytes;
        try (InputStream in = reader.content()) {
            bytes = in.readAllBytes();
        } catch (TruncatedArchiveException e) {
            throw e.getRejection();
        }
        return ManifestCheck.check(bytes, root, policy);
    }
}
