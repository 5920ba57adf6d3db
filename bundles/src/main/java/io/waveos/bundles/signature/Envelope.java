package io.waveos.bundles.signature;

import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A DSSE envelope (https://github.com/secure-systems-lab/dsse, protocol v1): a typed payload and
 * the signatures over its {@link Pae} encoding. Immutable; arrays are copied in and out.
 *
 * @param payloadType the media type the signers meant ({@code application/vnd.waveos.manifest+json})
 * @param payload the signed bytes, exactly as they were signed
 * @param signatures in envelope order; may be empty (an unsigned envelope)
 */
public record Envelope(String payloadType, byte[] payload, List<Signature> signatures) {

    /**
     * One signature.
     *
     * @param keyid lower-case hex SHA-256 of the signer's SPKI DER (a hint: verifiers look the key up by it)
     * @param sig the 64-byte Ed25519 signature over the PAE (any length is carried; verification decides)
     */
    public record Signature(String keyid, byte[] sig) {
        public Signature {
            Objects.requireNonNull(keyid, "keyid");
            sig = sig.clone();
        }

        @Override
        public byte[] sig() {
            return sig.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Signature s && s.keyid.equals(keyid) && Arrays.equals(s.sig, sig);
        }

        @Override
        public int hashCode() {
            return 31 * keyid.hashCode() + Arrays.hashCode(sig);
        }

        @Override
        public String toString() {
            return "Signature[" + keyid + ", " + sig.length + " bytes]";
        }
    }

    public Envelope {
        Objects.requireNonNull(payloadType, "payloadType");
        payload = payload.clone();
        signatures = List.copyOf(signatures);
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** The bytes every signature covers. */
    public byte[] pae() {
        return Pae.encode(payloadType, payload);
    }

    /** This envelope with one more signature appended. */
    public Envelope withSignature(Signature signature) {
        List<Signature> more = new ArrayList<>(signatures);
        more.add(signature);
        return new Envelope(payloadType, payload, more);
    }

    /**
     * This envelope with one more signature, by {@code signer} over the PAE, with the signer's keyid.
     * Several holders each add theirs to reach a threshold.
     */
    public Envelope signedWith(KeyPair signer) {
        return withSignature(new Signature(Ed25519.keyid(signer.getPublic()), Ed25519.sign(signer.getPrivate(), pae())));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Envelope e && e.payloadType.equals(payloadType) && Arrays.equals(e.payload, payload)
                && e.signatures.equals(signatures);
    }

    @Override
    public int hashCode() {
        return Objects.hash(payloadType, Arrays.hashCode(payload), signatures);
    }

    @Override
    public String toString() {
        return "Envelope[" + payloadType + ", " + payload.length + " bytes, " + signatures + "]";
    }
}
