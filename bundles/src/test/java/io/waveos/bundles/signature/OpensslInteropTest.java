package io.waveos.bundles.signature;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys and signatures cross between the JDK and openssl in both directions. */
class OpensslInteropTest {

    @TempDir
    Path dir;

    private final byte[] pae = Pae.encode("application/vnd.waveos.manifest+json",
            "{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8));

    @Test
    void anOpensslSignatureOverThePaeVerifiesInJava() throws Exception {
        Openssl.run(dir, "openssl", "genpkey", "-algorithm", "ed25519", "-out", "k.pem").ok();
        Files.write(dir.resolve("pae.bin"), pae);
        Openssl.run(dir, "openssl", "pkeyutl", "-sign", "-rawin", "-inkey", "k.pem", "-in", "pae.bin", "-out", "sig").ok();
        KeyPair pair = PemKeys.readPrivate(Files.readString(dir.resolve("k.pem")), "k.pem");
        byte[] sig = Files.readAllBytes(dir.resolve("sig"));
        assertTrue(Ed25519.verify(pair.getPublic(), pae, sig));
        assertArrayEquals(sig, Ed25519.sign(pair.getPrivate(), pae), "Ed25519 is deterministic: same bytes as openssl");
        byte[] other = pae.clone();
        other[other.length - 1] ^= 1;
        assertFalse(Ed25519.verify(pair.getPublic(), other, sig));
    }

    @Test
    void opensslAcceptsJavasSignatureAndRejectsATamperedOne() throws Exception {
        KeyPair pair = Ed25519.generate();
        Files.writeString(dir.resolve("pub.pem"), PemKeys.writePublic(pair.getPublic()));
        Files.write(dir.resolve("pae.bin"), pae);
        byte[] sig = Ed25519.sign(pair.getPrivate(), pae);
        Files.write(dir.resolve("sig"), sig);
        Openssl.Result ok = Openssl.run(dir, "openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "pub.pem", "-rawin",
                "-in", "pae.bin", "-sigfile", "sig");
        assertEquals(0, ok.status(), ok.output());
        sig[5] ^= 1;
        Files.write(dir.resolve("sig"), sig);
        Openssl.Result bad = Openssl.run(dir, "openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "pub.pem", "-rawin",
                "-in", "pae.bin", "-sigfile", "sig");
        assertNotEquals(0, bad.status(), bad.output());
    }

    @Test
    void opensslReadsJavasPrivateKeyAndDerivesTheSamePublicKeyAndKeyid() throws Exception {
        KeyPair pair = Ed25519.generate();
        Files.writeString(dir.resolve("k.pem"), PemKeys.writePrivate(pair.getPrivate()));
        Openssl.run(dir, "openssl", "pkey", "-in", "k.pem", "-pubout", "-out", "pub.pem").ok();
        assertEquals(PemKeys.writePublic(pair.getPublic()), Files.readString(dir.resolve("pub.pem")));
        Openssl.run(dir, "openssl", "pkey", "-pubin", "-in", "pub.pem", "-outform", "DER", "-out", "pub.der").ok();
        String opensslKeyid = HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(dir.resolve("pub.der"))));
        assertEquals(opensslKeyid, Ed25519.keyid(pair.getPublic()));
        Openssl.run(dir, "openssl", "pkey", "-in", "k.pem", "-out", "rewritten.pem").ok();
        assertEquals(PemKeys.writePrivate(pair.getPrivate()), Files.readString(dir.resolve("rewritten.pem")),
                "openssl rewrites our private key byte for byte: the same PKCS#8 form");
    }

    @Test
    void keysOfOtherAlgorithmsAreRefusedNamingTheAlgorithm() throws Exception {
        for (List<String> gen : List.of(
                List.of("openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024", "-out", "k.pem"),
                List.of("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "k.pem"))) {
            Openssl.run(dir, gen.toArray(String[]::new)).ok();
            Openssl.run(dir, "openssl", "pkey", "-in", "k.pem", "-pubout", "-out", "pub.pem").ok();
            String algo = gen.get(3).equals("RSA") ? "an RSA key" : "an EC (ECDSA) key";
            KeyFileException priv = org.junit.jupiter.api.Assertions.assertThrows(KeyFileException.class,
                    () -> PemKeys.readPrivate(Files.readString(dir.resolve("k.pem")), "k.pem"));
            assertTrue(priv.getMessage().startsWith("k.pem: is " + algo), priv.getMessage());
            KeyFileException pub = org.junit.jupiter.api.Assertions.assertThrows(KeyFileException.class,
                    () -> PemKeys.readPublic(Files.readString(dir.resolve("pub.pem")), "pub.pem"));
            assertTrue(pub.getMessage().startsWith("pub.pem: is " + algo), pub.getMessage());
        }
    }
}
