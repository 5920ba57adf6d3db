package io.waveos.companion.guardian;

import io.waveos.companion.frame.LinkKeyFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.companion.frame.Endpoint;
import io.waveos.companion.frame.LinkAuth;
import org.junit.jupiter.api.Test;

/** {@link LinkKeyFile}: the key file from the certs bundle, and its refusals (spec section 8.4). */
class GuardianKeyFileTest {
    private static final String K1_D2G = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    private static final String K1_G2D = "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f";
    private static final String K2_D2G = "404142434445464748494a4b4c4d4e4f";
    private static final String K2_G2D = "505152535455565758595a5b5c5d5e5f";

    private static String file(String sign, String... lines) {
        return "# link keys\nsign = " + sign + "\n" + String.join("\n", lines) + "\n";
    }

    @Test
    void theGuardianSignsWithItsDirectionAndAcceptsTheDevicesOfEveryListedGeneration() throws Exception {
        LinkKeyFile keys = LinkKeyFile.parse(file("2", "key.1.device_to_guardian=" + K1_D2G,
                "key.1.guardian_to_device=" + K1_G2D, "key.2.device_to_guardian=" + K2_D2G,
                "key.2.guardian_to_device=" + K2_G2D), "keys");
        LinkAuth guardian = keys.auth(Endpoint.GUARDIAN, 16);
        assertEquals(2, guardian.sendKey().id());
        assertEquals(0x50, guardian.sendKey().secret()[0]);
        assertEquals(2, guardian.receiveKeys().size());
        assertEquals(0x40, guardian.receiveKeys().get(0).secret()[0], "the signing generation first");
        LinkAuth device = keys.auth(Endpoint.DEVICE, 16);
        assertEquals(0x40, device.sendKey().secret()[0]);
    }

    @Test
    void refusesEveryBrokenFileNamingTheFileButNeverASecret() {
        String[][] cases = {
            {file("1", "key.1.device_to_guardian=" + K1_D2G), "both device_to_guardian and guardian_to_device"},
            {file("1", "key.1.device_to_guardian=" + K1_D2G, "key.1.guardian_to_device=" + K1_D2G), "different"},
            {file("1", "key.1.device_to_guardian=0001", "key.1.guardian_to_device=" + K1_G2D), "16..64 bytes"},
            {file("1", "key.1.device_to_guardian=zz", "key.1.guardian_to_device=" + K1_G2D), "hex"},
            {file("3", "key.1.device_to_guardian=" + K1_D2G, "key.1.guardian_to_device=" + K1_G2D), "not in the file"},
            {"key.1.device_to_guardian=" + K1_D2G + "\nkey.1.guardian_to_device=" + K1_G2D, "sign"},
            {file("1", "key.1.device_to_guardian=" + K1_D2G, "key.1.guardian_to_device=" + K1_G2D, "tag=16"), "tag"},
        };
        for (String[] c : cases) {
            io.waveos.companion.frame.LinkKeyFileException e = assertThrows(io.waveos.companion.frame.LinkKeyFileException.class,
                    () -> LinkKeyFile.parse(c[0], "/etc/waveos/link.keys"), c[1]);
            assertTrue(e.getMessage().startsWith("/etc/waveos/link.keys: "), e.getMessage());
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
            assertFalse(e.getMessage().contains(K1_D2G) || e.getMessage().contains(K1_G2D), e.getMessage());
        }
    }
}
