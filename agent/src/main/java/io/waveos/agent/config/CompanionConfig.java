package io.waveos.agent.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The Guardian companion link (WaveOS v2). Exactly one transport: a serial device, or TCP
 * ({@code host:port}, for serial-over-network and the simulator).
 *
 * @param keyFile the link keys; when set the link is authenticated and unauthenticated frames are
 *     refused (fail closed); see docs/companion-protocol.md for the file format
 * @param tagBytes truncated HMAC tag length, 8..32
 * @param heartbeat heartbeat period; the link counts as lost after {@code misses} missed periods
 * @param healthEvery how often a health report is sent
 * @param requestTimeout how long an approval request may take before the link counts as unavailable
 * @param whenUnavailable per risky action: proceed ({@code ALLOW}) or refuse ({@code DENY}) when no
 *     Guardian answers; either way it is an event
 * @param safeModeLine the Guardian's safe-mode GPIO line as wired to this device; empty when not wired
 */
public record CompanionConfig(Optional<Path> serialDevice, int baud, Optional<String> tcpHost, int tcpPort,
        Optional<Path> keyFile, int tagBytes, Duration heartbeat, int misses, Duration healthEvery,
        Duration requestTimeout, Map<Approval, Unavailable> whenUnavailable,
        Optional<SafeModeLineConfig> safeModeLine) {

    /** Risky actions that a Guardian approves or denies. */
    public enum Approval { REBOOT, INSTALL, COMMIT, WATCHDOG_DISARM, SAFE_MODE_EXIT }

    /** What an action does when no Guardian can answer. */
    public enum Unavailable { ALLOW, DENY }

    /** Without a safe-mode line. */
    public CompanionConfig(Optional<Path> serialDevice, int baud, Optional<String> tcpHost, int tcpPort,
            Optional<Path> keyFile, int tagBytes, Duration heartbeat, int misses, Duration healthEvery,
            Duration requestTimeout, Map<Approval, Unavailable> whenUnavailable) {
        this(serialDevice, baud, tcpHost, tcpPort, keyFile, tagBytes, heartbeat, misses, healthEvery, requestTimeout,
                whenUnavailable, Optional.empty());
    }

    public CompanionConfig {
        Objects.requireNonNull(serialDevice, "serialDevice");
        Objects.requireNonNull(safeModeLine, "safeModeLine");
        Objects.requireNonNull(tcpHost, "tcpHost");
        if (serialDevice.isPresent() == tcpHost.isPresent()) {
            throw new IllegalArgumentException("exactly one of serial and tcp must be set");
        }
        if (tcpHost.isPresent() && (tcpPort < 1 || tcpPort > 65535)) {
            throw new IllegalArgumentException("tcp port must be in 1..65535");
        }
        if (baud < 1200 || baud > 4_000_000) {
            throw new IllegalArgumentException("baud must be in 1200..4000000");
        }
        if (tagBytes < 8 || tagBytes > 32) {
            throw new IllegalArgumentException("tag_bytes must be in 8..32");
        }
        if (misses < 1 || misses > 100) {
            throw new IllegalArgumentException("misses must be in 1..100");
        }
        for (Duration d : new Duration[] {heartbeat, healthEvery, requestTimeout}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("companion periods must be positive");
            }
        }
        EnumMap<Approval, Unavailable> full = new EnumMap<>(defaultsWhenUnavailable());
        full.putAll(whenUnavailable);
        whenUnavailable = Map.copyOf(full);
    }

    /**
     * Defaults when no Guardian answers: the device must stay able to help itself (reboot, leave
     * SAFE, disarm its watchdog on a clean stop), but changes to what it runs wait for a Guardian.
     */
    public static Map<Approval, Unavailable> defaultsWhenUnavailable() {
        EnumMap<Approval, Unavailable> m = new EnumMap<>(Approval.class);
        m.put(Approval.REBOOT, Unavailable.ALLOW);
        m.put(Approval.SAFE_MODE_EXIT, Unavailable.ALLOW);
        m.put(Approval.WATCHDOG_DISARM, Unavailable.ALLOW);
        m.put(Approval.INSTALL, Unavailable.DENY);
        m.put(Approval.COMMIT, Unavailable.DENY);
        return m;
    }
}
