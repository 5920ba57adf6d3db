package io.waveos.hil.rig;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * How the rig reaches a tier-2 device's local API: a loopback port and API keys generated for this
 * run. The secrets exist only here and in the device's {@code agent.yaml} (as on a device); never in a
 * scenario file, a progress line or the report.
 *
 * @param keys the fleet's key ({@link #FLEET}, operator: signed pushes) and a hostile client's
 *             ({@link #INTRUDER}, operator: the signed part of {@code api-abuse}, with a token bucket of its own)
 */
public record ApiAccess(int port, List<Key> keys) {
    public static final String FLEET = "hil-fleet";
    public static final String INTRUDER = "hil-intruder";

    public ApiAccess {
        keys = List.copyOf(keys);
    }

    /** One key of {@code api.keys}. */
    public record Key(String id, String secret, String role) {
        @Override
        public String toString() {
            return "Key[" + id + ", " + role + "]";
        }
    }

    /** Fresh random secrets for {@link #FLEET} and {@link #INTRUDER} on {@code port}. */
    static ApiAccess generate(int port) {
        SecureRandom random = new SecureRandom();
        return new ApiAccess(port, List.of(new Key(FLEET, secret(random), "operator"),
                new Key(INTRUDER, secret(random), "operator")));
    }

    Key key(String id) {
        return keys.stream().filter(k -> k.id().equals(id)).findFirst().orElseThrow();
    }

    java.net.URI base() {
        return java.net.URI.create("http://127.0.0.1:" + port);
    }

    private static String secret(SecureRandom random) {
        byte[] b = new byte[24];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    @Override
    public String toString() {
        return "ApiAccess[127.0.0.1:" + port + ", keys " + keys + "]";
    }
}
