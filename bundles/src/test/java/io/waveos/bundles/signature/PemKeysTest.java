package io.waveos.bundles.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import org.junit.jupiter.api.Test;

class PemKeysTest {

    private final KeyPair pair = Ed25519.fromSeed(new byte[32]);

    @Test
    void privateAndPublicKeysRoundTripAndTheKeyidIsTheSpkiHash() throws Exception {
        KeyPair back = PemKeys.readPrivate(PemKeys.writePrivate(pair.getPrivate()), "k.pem");
        assertEquals(pair.getPublic(), back.getPublic());
        assertEquals(pair.getPublic(), PemKeys.readPublic(PemKeys.writePublic(pair.getPublic()), "p.pem"));
        // RFC 8032 test 1 secret is not all zero; the all-zero seed's public key is fixed and known:
        assertEquals(64, Ed25519.keyid(pair.getPublic()).length());
    }

    @Test
    void textThatIsNotPemIsRefusedNamingTheSource() {
        KeyFileException e = assertThrows(KeyFileException.class, () -> PemKeys.readPublic("hello", "/etc/waveos/k.pem"));
        assertTrue(e.getMessage().startsWith("/etc/waveos/k.pem: not a PEM file"), e.getMessage());
    }

    @Test
    void aPrivateKeyGivenWherePublicIsExpectedIsRefusedWithAHint() {
        KeyFileException e = assertThrows(KeyFileException.class,
                () -> PemKeys.readPublic(PemKeys.writePrivate(pair.getPrivate()), "k.pem"));
        assertTrue(e.getMessage().contains("expected \"PUBLIC KEY\"") && e.getMessage().contains("-pubout"), e.getMessage());
    }

    @Test
    void anOldStyleRsaLabelIsRefusedAsNotEd25519() {
        KeyFileException e = assertThrows(KeyFileException.class,
                () -> PemKeys.readPrivate("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n", "r.pem"));
        assertTrue(e.getMessage().contains("RSA") && e.getMessage().contains("Ed25519"), e.getMessage());
    }

    @Test
    void twoBlocksAreRefused() {
        String two = PemKeys.writePublic(pair.getPublic()) + PemKeys.writePublic(pair.getPublic());
        assertThrows(KeyFileException.class, () -> PemKeys.readPublic(two, "p.pem"));
    }
}
