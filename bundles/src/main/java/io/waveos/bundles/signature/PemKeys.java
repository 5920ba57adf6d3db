package io.waveos.bundles.signature;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ed25519 keys as PEM text, in exactly the forms {@code openssl genpkey -algorithm ed25519} and
 * {@code openssl pkey} read and write (RFC 8410): public keys as SubjectPublicKeyInfo under
 * {@code -----BEGIN PUBLIC KEY-----}, private keys as PKCS#8 v1 (no public key attribute) under
 * {@code -----BEGIN PRIVATE KEY-----}. The text must hold exactly one PEM block; text around it is
 * ignored (RFC 7468). Every refusal is a {@link KeyFileException} naming the source and the problem
 * (not PEM, wrong label, RSA/EC/other algorithm, malformed DER). Stateless.
 */
public final class PemKeys {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\r?\\n([A-Za-z0-9+/=\\r\\n]*?)-----END ([A-Z0-9 ]+)-----");
    private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    private static final byte[] PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b657004220420");

    private PemKeys() {
    }

    /** Reads a public key ({@code -----BEGIN PUBLIC KEY-----}). */
    public static PublicKey readPublic(String pem, String source) throws KeyFileException {
        byte[] der = block(pem, source, "PUBLIC KEY");
        if (der.length != SPKI_PREFIX.length + Ed25519.KEY_BYTES || !startsWith(der, SPKI_PREFIX)) {
            throw new KeyFileException(source, algorithmProblem(der, false));
        }
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new KeyFileException(source, "not a valid Ed25519 public key: " + e.getMessage(), e);
        }
    }

    /** Reads a private key ({@code -----BEGIN PRIVATE KEY-----}) and derives its public half. */
    public static KeyPair readPrivate(String pem, String source) throws KeyFileException {
        byte[] der = block(pem, source, "PRIVATE KEY");
        if (der.length != PKCS8_PREFIX.length + Ed25519.KEY_BYTES || !startsWith(der, PKCS8_PREFIX)) {
            throw new KeyFileException(source, algorithmProblem(der, true));
        }
        try {
            PrivateKey key = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
            byte[] seed = ((EdECPrivateKey) key).getBytes().orElseThrow(
                    () -> new KeyFileException(source, "the private key has no extractable seed"));
            return Ed25519.fromSeed(seed);
        } catch (GeneralSecurityException e) {
            throw new KeyFileException(source, "not a valid Ed25519 private key: " + e.getMessage(), e);
        }
    }

    /** SPKI PEM text, 64-column base64, ending with a newline (as openssl writes it). */
    public static String writePublic(PublicKey key) {
        byte[] der = key.getEncoded();
        if (!"Ed25519".equals(key.getAlgorithm()) && !"EdDSA".equals(key.getAlgorithm())
                || der.length != SPKI_PREFIX.length + Ed25519.KEY_BYTES || !startsWith(der, SPKI_PREFIX)) {
            throw new IllegalArgumentException("not an Ed25519 public key: " + key.getAlgorithm());
        }
        return pem("PUBLIC KEY", der);
    }

    /** PKCS#8 v1 PEM text that openssl 3 reads (the 48-byte RFC 8410 form). */
    public static String writePrivate(PrivateKey key) {
        if (!(key instanceof EdECPrivateKey)) {
            throw new IllegalArgumentException("not an Ed25519 private key: " + key.getAlgorithm());
        }
        byte[] seed = ((EdECPrivateKey) key).getBytes()
                .orElseThrow(() -> new IllegalArgumentException("the private key has no extractable seed"));
        byte[] der = Arrays.copyOf(PKCS8_PREFIX, PKCS8_PREFIX.length + seed.length);
        System.arraycopy(seed, 0, der, PKCS8_PREFIX.length, seed.length);
        return pem("PRIVATE KEY", der);
    }

    private static String pem(String label, byte[] der) {
        String b64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + b64 + "\n-----END " + label + "-----\n";
    }

    private static byte[] block(String pem, String source, String label) throws KeyFileException {
        Matcher m = BLOCK.matcher(pem);
        if (!m.find()) {
            throw new KeyFileException(source, "not a PEM file (no -----BEGIN ...----- / -----END ...----- block)");
        }
        String found = m.group(1);
        String body = m.group(2);
        if (!found.equals(m.group(3))) {
            throw new KeyFileException(source, "PEM labels differ: BEGIN " + found + " but END " + m.group(3));
        }
        if (m.find()) {
            throw new KeyFileException(source, "more than one PEM block; expected exactly one " + label);
        }
        if (!found.equals(label)) {
            throw new KeyFileException(source, "is a PEM \"" + found + "\", expected \"" + label + "\"" + labelHint(found));
        }
        try {
            return Base64.getMimeDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new KeyFileException(source, "the PEM body is not base64: " + e.getMessage(), e);
        }
    }

    private static String labelHint(String found) {
        if (found.startsWith("RSA ") || found.startsWith("EC ") || found.startsWith("OPENSSH ")) {
            return " (a " + found.split(" ")[0] + " key; WaveOS keys are Ed25519: openssl genpkey -algorithm ed25519)";
        }
        if (found.equals("PRIVATE KEY")) {
            return " (this is a private key; give the public key: openssl pkey -in k.pem -pubout)";
        }
        if (found.equals("PUBLIC KEY")) {
            return " (this is a public key; signing needs the private key)";
        }
        return "";
    }

    /** Names the algorithm a DER key holds, for a refusal. */
    private static String algorithmProblem(byte[] der, boolean pkcs8) {
        String oid = HexFormat.of().formatHex(Der.algorithmOid(der, pkcs8));
        String name = switch (oid) {
            case "2a864886f70d010101" -> "an RSA key";
            case "2a8648ce3d0201" -> "an EC (ECDSA) key";
            case "2b6571" -> "an Ed448 key";
            case "2b656e" -> "an X25519 key";
            case "2b6570" -> "a malformed Ed25519 key (unexpected length or extra fields)";
            case "" -> "not a DER " + (pkcs8 ? "PKCS#8 private key" : "SubjectPublicKeyInfo");
            default -> "a key with algorithm OID hex " + oid;
        };
        return "is " + name + "; expected an Ed25519 " + (pkcs8 ? "PKCS#8 v1 private key" : "public key");
    }

    private static boolean startsWith(byte[] a, byte[] prefix) {
        return a.length >= prefix.length && Arrays.equals(a, 0, prefix.length, prefix, 0, prefix.length);
    }
}
