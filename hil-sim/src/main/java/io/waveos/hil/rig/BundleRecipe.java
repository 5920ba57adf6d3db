package io.waveos.hil.rig;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What a pushed bundle is, the same in both tiers: the manifest of component {@code app} at a version
 * (one service {@code app}, a 5 s trial with at most 2 restarts and {@code app} ready), and how the
 * bytes of a signed bundle become those of each kind as it arrives on the device.
 */
public final class BundleRecipe {
    private BundleRecipe() {
    }

    /** The manifest template (JSON) the operator's {@code waveos bundle build} signs. */
    public static String manifest(int version, String deviceClass) {
        return "{\"format\":1,\"bundle_id\":\"app-" + version + "\",\"kind\":\"app\","
                + "\"component\":\"app\",\"version\":" + version + ",\"version_name\":\"1." + version + ".0\","
                + "\"created\":\"2026-01-01T00:00:00Z\",\"expires\":\"2036-01-01T00:00:00Z\","
                + "\"compatibility\":{\"device_classes\":[\"" + deviceClass + "\"],\"min_agent_version\":\"0.0.0\"},"
                + "\"services\":[{\"name\":\"app\",\"command\":[\"bin/app\"]}],"
                + "\"trial\":{\"soak_seconds\":5,\"must_be_ready\":[\"app\"],\"max_restarts\":2}}";
    }

    /**
     * The bytes as sent for {@code kind}: {@code good} and {@code failing-trial} unchanged (the latter
     * fails by what its service does); {@code tampered} with one bit of the payload's {@code VERSION}
     * file flipped after signing; {@code partial} cut inside the payload, as an interrupted transfer (a
     * tar cut in its trailing zero blocks would still be whole). {@code signed} is changed in place.
     *
     * @throws IllegalArgumentException for any other kind
     */
    public static byte[] asSent(String kind, int version, byte[] signed) {
        return switch (kind) {
            case "good", "failing-trial" -> signed;
            case "tampered" -> {
                byte[] marker = "VERSION".getBytes(StandardCharsets.US_ASCII);
                byte[] content = ("app " + version).getBytes(StandardCharsets.US_ASCII);
                signed[indexOf(signed, content, indexOf(signed, marker, 0) + marker.length)] ^= 0x01;
                yield signed;
            }
            case "partial" -> Arrays.copyOf(signed, indexOf(signed, "exec".getBytes(StandardCharsets.US_ASCII), 0) + 8);
            default -> throw new IllegalArgumentException("unknown bundle kind " + kind);
        };
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
        for (int i = Math.max(0, from); i + needle.length <= hay.length; i++) {
            if (Arrays.equals(hay, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new IllegalStateException("payload marker not found in the bundle");
    }
}
