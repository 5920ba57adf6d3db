package io.waveos.bundles.trust;

import io.waveos.bundles.BundleError;
import io.waveos.bundles.BundleRejected;
import io.waveos.bundles.signature.Envelope;
import io.waveos.bundles.signature.EnvelopeCodec;
import io.waveos.bundles.signature.SignatureTally;
import java.time.Instant;
import java.util.List;

/**
 * The trust root file: a DSSE envelope of type {@value #PAYLOAD_TYPE} whose payload is the
 * {@link TrustRootCodec} JSON. Loading an initial root and rotating to a new one (TUF-style) are the
 * only ways to obtain a {@link TrustRoot} from bytes. Stateless.
 */
public final class TrustRootFile {

    public static final String PAYLOAD_TYPE = "application/vnd.waveos.trust-root+json";
    /** Largest trust root file accepted. */
    public static final int MAX_BYTES = 256 * 1024;

    private TrustRootFile() {
    }

    /**
     * Loads a root installed out of band: it must be signed by a threshold of its own root-role keys.
     * Expiry is not checked here; the verifier refuses bundles under an expired root
     * ({@link BundleError#TRUST_ROOT_EXPIRED}).
     */
    public static TrustRoot load(byte[] file) throws BundleRejected {
        Envelope env = envelope(file);
        TrustRoot root = TrustRootCodec.parse(env.payload());
        requireThreshold(env, root, "its own");
        return root;
    }

    /**
     * Rotates from {@code current} to the root in {@code newRootFile}. Accepted only when, in this
     * order: the file parses; its version is above {@code current}'s; it has not expired at
     * {@code trustedNow} ({@link BundleError#TRUST_ROOT_EXPIRED}); a threshold of the CURRENT root's
     * root-role keys signed it; a threshold of its OWN root-role keys signed it. The current root may
     * itself have expired (that is how a device recovers after a long time offline).
     */
    public static TrustRoot rotate(TrustRoot current, byte[] newRootFile, Instant trustedNow) throws BundleRejected {
        Envelope env = envelope(newRootFile);
        TrustRoot next = TrustRootCodec.parse(env.payload());
        if (next.version() <= current.version()) {
            throw new BundleRejected(BundleError.TRUST_ROOT_INVALID, "trust-root.version",
                    "above the current root's version " + current.version() + ", found " + next.version());
        }
        if (next.expiredAt(trustedNow)) {
            throw new BundleRejected(BundleError.TRUST_ROOT_EXPIRED, "trust-root.expires",
                    "later than the trusted time " + trustedNow + ", found " + next.expires());
        }
        requireThreshold(env, current, "the current (version " + current.version() + ")");
        requireThreshold(env, next, "the new root's own (version " + next.version() + ")");
        return next;
    }

    /** The unsigned envelope for {@code root}; add signatures with {@link Envelope#signedWith}. */
    public static Envelope unsigned(TrustRoot root) {
        return new Envelope(PAYLOAD_TYPE, TrustRootCodec.write(root), List.of());
    }

    /** The file bytes of an envelope. */
    public static byte[] write(Envelope envelope) {
        return EnvelopeCodec.write(envelope);
    }

    /** Parses the envelope of a trust root file and checks its size and payload type. */
    public static Envelope envelope(byte[] file) throws BundleRejected {
        if (file.length > MAX_BYTES) {
            throw new BundleRejected(BundleError.TRUST_ROOT_INVALID, "trust-root", "at most " + MAX_BYTES + " bytes");
        }
        Envelope env = EnvelopeCodec.parse(file, "trust-root", BundleError.TRUST_ROOT_INVALID);
        if (!env.payloadType().equals(PAYLOAD_TYPE)) {
            throw new BundleRejected(BundleError.TRUST_ROOT_INVALID, "trust-root.payloadType",
                    PAYLOAD_TYPE + ", found \"" + env.payloadType() + "\"");
        }
        return env;
    }

    private static void requireThreshold(Envelope env, TrustRoot signers, String whose) throws BundleRejected {
        var keys = signers.keysFor(Role.ROOT);
        SignatureTally tally = SignatureTally.of(env, keys);
        int valid = tally.countValid(keys.keySet());
        int needed = signers.threshold(Role.ROOT);
        if (valid < needed) {
            throw new BundleRejected(BundleError.TRUST_ROOT_INVALID, "trust-root.signatures",
                    "a threshold of " + whose + " root keys: " + needed + " needed, " + valid + " valid"
                            + (tally.anyInvalid(keys.keySet()) ? " (some signatures from those keys failed)" : ""));
        }
    }
}
