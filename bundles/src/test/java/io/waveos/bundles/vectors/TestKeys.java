package io.waveos.bundles.vectors;

import io.waveos.bundles.signature.Ed25519;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * FIXED, PUBLIC, TEST-ONLY Ed25519 keys: each seed is the SHA-256 of a published sentence, so anyone can
 * derive the private keys. Never put their public halves in a real trust root.
 */
public final class TestKeys {

    /** Holds every role in the vectors' trust root. */
    public static final KeyPair A = fromSentence("WaveOS test key A. Public test vector. Never trust it.");
    /** Holds app and config in the vectors' trust root. */
    public static final KeyPair B = fromSentence("WaveOS test key B. Public test vector. Never trust it.");
    /** In no trust root: an unknown signer. */
    public static final KeyPair C = fromSentence("WaveOS test key C. Public test vector. Never trust it.");

    private TestKeys() {
    }

    static KeyPair fromSentence(String sentence) {
        try {
            return Ed25519.fromSeed(MessageDigest.getInstance("SHA-256").digest(sentence.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
