package io.waveos.companion.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinkKeysTest {

    @Test
    void neverPrintsKeyBytes() {
        String printed = TestLinks.KEYS_1.toString() + TestLinks.device(16);
        assertFalse(printed.contains(HexFormat.of().formatHex(TestLinks.D2G_SECRET).substring(0, 8)));
        assertFalse(printed.contains("[0, 1, 2"));
        assertTrue(printed.contains("redacted"));
    }

    @Test
    void keepsItsOwnCopyOfTheSecret() {
        byte[] secret = TestLinks.D2G_SECRET.clone();
        LinkKey key = new LinkKey(1, secret);
        secret[0] = 99;
        key.secret()[1] = 99;
        assertEquals(new LinkKey(1, TestLinks.D2G_SECRET), key);
    }

    @Test
    void refusesTheSameSecretForBothDirections() {
        LinkKey k = new LinkKey(1, TestLinks.D2G_SECRET);
        assertThrows(IllegalArgumentException.class, () -> new LinkKeys(k, new LinkKey(1, TestLinks.D2G_SECRET)));
    }

    @Test
    void refusesShortSecretsMismatchedIdsAndBadTagLengths() {
        assertThrows(IllegalArgumentException.class, () -> new LinkKey(1, new byte[15]));
        assertThrows(IllegalArgumentException.class, () -> new LinkKey(256, new byte[32]));
        assertThrows(IllegalArgumentException.class,
                () -> new LinkKeys(new LinkKey(1, TestLinks.D2G_SECRET), new LinkKey(2, TestLinks.G2D_SECRET)));
        assertThrows(IllegalArgumentException.class, () -> TestLinks.device(7));
        assertThrows(IllegalArgumentException.class, () -> TestLinks.device(33));
    }

    @Test
    void signsWithItsOwnDirectionAndVerifiesThePeers() {
        LinkAuth device = TestLinks.device(16);
        LinkAuth guardian = TestLinks.guardian(16);
        assertEquals(device.sendKey(), guardian.receiveKeys().get(0));
        assertEquals(guardian.sendKey(), device.receiveKeys().get(0));
    }

    @Test
    void acceptsAtMostTwoKeyGenerationsWithDistinctIds() {
        assertEquals(2, LinkAuth.of(Endpoint.GUARDIAN, 16, TestLinks.KEYS_2, TestLinks.KEYS_1).receiveKeys().size());
        assertThrows(IllegalArgumentException.class,
                () -> LinkAuth.of(Endpoint.GUARDIAN, 16, TestLinks.KEYS_1, TestLinks.KEYS_1));
        assertThrows(IllegalArgumentException.class, () -> new LinkAuth(16, TestLinks.KEYS_1.sendKey(Endpoint.DEVICE),
                List.of(TestLinks.KEYS_1.receiveKey(Endpoint.DEVICE), TestLinks.KEYS_2.receiveKey(Endpoint.DEVICE),
                        new LinkKey(3, new byte[16]))));
    }
}
