package io.waveos.companion.link;

import java.util.List;
import java.util.Objects;

/**
 * What one end tells the other in Hello (device) or HelloAck (Guardian), and what a
 * {@link LinkSession} learned about its peer.
 *
 * @param protocolVersion the highest schema major version this end speaks (1 for {@code waveos.companion.v1});
 *     versions 1 up to it are spoken
 * @param capabilities optional features, e.g. {@code health-report}; unknown ones are ignored
 * @param deviceId device: its own id. Guardian: the device it is paired with, or empty to accept any
 *     device (Hellos from another device are refused)
 * @param softwareVersion device: the agent's version; Guardian: its firmware version (free text)
 * @param bootId random per boot of this end, never empty; a change tells the peer this end restarted
 */
public record PeerInfo(int protocolVersion, List<String> capabilities, String deviceId, String softwareVersion,
        String bootId) {

    /** The schema major version of {@code waveos.companion.v1}. */
    public static final int PROTOCOL_VERSION = 1;

    public PeerInfo {
        if (protocolVersion < 1) {
            throw new IllegalArgumentException("protocolVersion must be at least 1, was " + protocolVersion);
        }
        capabilities = List.copyOf(capabilities);
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(softwareVersion, "softwareVersion");
        Objects.requireNonNull(bootId, "bootId");
        if (bootId.isBlank()) {
            throw new IllegalArgumentException("bootId must not be blank");
        }
    }
}
