package io.waveos.bundles.verify;

import io.waveos.bundles.BundleError;
import io.waveos.bundles.BundleRejected;
import io.waveos.bundles.manifest.Manifest;
import io.waveos.bundles.manifest.ManifestCodec;
import io.waveos.bundles.manifest.Rfc3339;
import io.waveos.bundles.signature.Envelope;
import io.waveos.bundles.signature.EnvelopeCodec;
import io.waveos.bundles.signature.SignatureTally;
import io.waveos.bundles.trust.Role;
import io.waveos.bundles.trust.TrustRoot;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Set;

/**
 * Verifies the bytes of {@code manifest.dsse.json}, in the order {@code docs/bundle-format.md}
 * ("Verification order") fixes: trust root expiry, envelope, payload type, signatures (before the
 * manifest is parsed: at least one trusted key must vouch for it), manifest rules, the kind's threshold,
 * then the device policy. Stateless.
 */
final class ManifestCheck {

    static final String MEMBER = BundleVerifier.MANIFEST_MEMBER;
    static final String PAYLOAD_TYPE = BundleVerifier.MANIFEST_PAYLOAD_TYPE;

    private ManifestCheck() {
    }

    static VerifiedManifest check(byte[] envelopeBytes, TrustRoot root, VerifyPolicy policy) throws BundleRejected {
        if (root.expiredAt(policy.trustedNow())) {
            throw new BundleRejected(BundleError.TRUST_ROOT_EXPIRED, "trust-root.expires",
                    "later than the trusted time " + policy.trustedNow() + ", is " + root.expires());
        }
        Envelope env = EnvelopeCodec.parse(envelopeBytes, MEMBER, BundleError.ENVELOPE_MALFORMED);
        if (!env.payloadType().equals(PAYLOAD_TYPE)) {
            throw new BundleRejected(BundleError.ENVELOPE_MALFORMED, MEMBER + ".payloadType",
                    PAYLOAD_TYPE + ", found \"" + env.payloadType() + "\"");
        }
        if (env.signatures().isEmpty()) {
            throw new BundleRejected(BundleError.UNSIGNED, MEMBER + ".signatures", "at least one signature");
        }
        SignatureTally tally = SignatureTally.of(env, root.allKeys());
        if (tally.valid().isEmpty()) {
            throw belowThreshold(tally, root.allKeys().keySet(), 0, 1, "any role");
        }
        Manifest m = ManifestCodec.parse(env.payload());
        Role role = Role.forKind(m.kind());
        Set<String> eligible = root.keysFor(role).keySet();
        int valid = tally.countValid(eligible);
        if (valid < root.threshold(role)) {
            throw belowThreshold(tally, eligible, valid, root.threshold(role), "role " + role.wireName());
        }
        checkPolicy(m, policy);
        return new VerifiedManifest(m, sha256(envelopeBytes), List.copyOf(tally.validAmong(eligible)));
    }

    /**
     * The rule when too few trusted keys signed validly: {@link BundleError#SIGNATURE_INVALID} if a key
     * that would have counted signed but its signature failed, else {@link BundleError#THRESHOLD_NOT_MET}.
     */
    private static BundleRejected belowThreshold(SignatureTally tally, Set<String> eligible, int valid, int needed, String what) {
        if (tally.anyInvalid(eligible)) {
            return new BundleRejected(BundleError.SIGNATURE_INVALID, MEMBER + ".signatures",
                    "valid signatures from " + needed + " trusted keys of " + what + "; " + valid
                            + " valid and a trusted key's signature does not verify over the PAE");
        }
        return new BundleRejected(BundleError.THRESHOLD_NOT_MET, MEMBER + ".signatures",
                "valid signatures from " + needed + " trusted keys of " + what + ", found " + valid);
    }

    private static void checkPolicy(Manifest m, VerifyPolicy policy) throws BundleRejected {
        if (!m.expires().isAfter(policy.trustedNow())) {
            throw new BundleRejected(BundleError.EXPIRED, "manifest.expires",
                    "later than the trusted time " + Rfc3339.format(policy.trustedNow()) + ", is " + Rfc3339.format(m.expires()));
        }
        if (policy.deviceClass().isPresent() && !m.compatibility().deviceClasses().contains(policy.deviceClass().get())) {
            throw new BundleRejected(BundleError.DEVICE_CLASS, "manifest.compatibility.device_classes",
                    "to include this device's class \"" + policy.deviceClass().get() + "\", lists " + m.compatibility().deviceClasses());
        }
        if (policy.agentVersion().isPresent()
                && DottedVersion.compare(policy.agentVersion().get(), m.compatibility().minAgentVersion()) < 0) {
            throw new BundleRejected(BundleError.AGENT_TOO_OLD, "manifest.compatibility.min_agent_version",
                    "at most the agent's version " + policy.agentVersion().get() + ", is " + m.compatibility().minAgentVersion());
        }
        long floor = policy.floors().applyAsLong(m.component());
        if (m.version() <= floor) {
            throw new BundleRejected(BundleError.ROLLBACK, "manifest.version",
                    "above the installed floor " + floor + " of component " + m.component() + ", is " + m.version());
        }
        if (m.files().size() > policy.maxFiles()) {
            throw new BundleRejected(BundleError.TOO_LARGE, "manifest.files",
                    "at most " + policy.maxFiles() + " files, lists " + m.files().size());
        }
        if (m.payloadBytes() > policy.maxBundleBytes()) {
            throw new BundleRejected(BundleError.TOO_LARGE, "manifest.files",
                    "declared sizes within the bundle cap of " + policy.maxBundleBytes() + " bytes, sum to " + m.payloadBytes());
        }
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
