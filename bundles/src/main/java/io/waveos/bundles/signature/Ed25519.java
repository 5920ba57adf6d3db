package io.waveos.bundles.signature;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.SignatureException;
import java.security.spec.NamedParameterSpec;
import java.util.HexFormat;

/**
 * Ed25519 (RFC 8032, pure) with the JDK's SunEC provider. Signatures are deterministic, so the same
 * key and message always give the same 64 bytes (as openssl gives). Stateless; safe from any thread.
 */
public final class Ed25519 {

    /** Length of a private seed and of a raw public key. */
    public static final int KEY_BYTES = 32;

    private Ed25519() {
    }

    /** A new key pair from the system's strong random source. */
    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no Ed25519 (needs Java 15+)", e);
        }
    }

    /**
     * The key pair whose private key is the 32-byte {@code seed} (RFC 8032's private key). Used to derive
     * the public half of a PEM private key and for fixed test keys.
     */
    public static KeyPair fromSeed(byte[] seed) {
        if (seed.length != KEY_BYTES) {
            throw new IllegalArgumentException("an Ed25519 seed is 32 bytes, not " + seed.length);
        }
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
            g.initialize(NamedParameterSpec.ED25519, new FixedSeed(seed));
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException | InvalidAlgorithmParameterException e) {
            throw new IllegalStateException("the JDK has no Ed25519 (needs Java 15+)", e);
        }
    }

    /** The keyid of a public key: lower-case hex SHA-256 of its SubjectPublicKeyInfo DER. */
    public static String keyid(PublicKey key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** The 64-byte signature of {@code message}. */
    public static byte[] sign(PrivateKey key, byte[] message) {
        try {
            java.security.Signature s = java.security.Signature.getInstance("Ed25519");
            s.initSign(key);
            s.update(message);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot sign with this key: " + e.getMessage(), e);
        }
    }

    /** Whether {@code sig} is a valid signature of {@code message}; malformed signatures are just invalid. */
    public static boolean verify(PublicKey key, byte[] message, byte[] sig) {
        try {
            java.security.Signature s = java.security.Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(message);
            return s.verify(sig);
        } catch (SignatureException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key: " + e.getMessage(), e);
        }
    }

    /** Hands the key generator exactly the seed (the generator draws the 32-byte private key once). */
    private static final class FixedSeed extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private final byte[] seed;

        FixedSeed(byte[] seed) {
            this.seed = seed.clone();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            if (bytes.length != seed.length) {
                throw new IllegalStateException("the generator asked for " + bytes.length + " bytes");
            }
            System.arraycopy(seed, 0, bytes, 0, bytes.length);
        }
    }
}
