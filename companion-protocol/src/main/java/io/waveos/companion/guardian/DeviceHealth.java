package io.waveos.companion.guardian;

import io.waveos.companion.proto.AgentMode;
import io.waveos.companion.proto.HealthReport;
import io.waveos.companion.proto.Heartbeat;
import io.waveos.companion.proto.ModeReport;
import java.time.Duration;
import java.util.Optional;

/**
 * What the Guardian last heard about the device's health, with when it heard it: the latest heartbeat,
 * mode (from heartbeats and mode reports, whichever is newer) and health report. Forgotten when the
 * device restarts. Not thread-safe: owned by the Guardian's loop.
 */
public final class DeviceHealth {
    private Heartbeat heartbeat;
    private long heartbeatNanos;
    private AgentMode mode;
    private long modeNanos;
    private HealthReport report;
    private long reportNanos;

    public void onHeartbeat(long nowNanos, Heartbeat heartbeat) {
        this.heartbeat = heartbeat;
        this.heartbeatNanos = nowNanos;
        if (heartbeat.getMode() != AgentMode.AGENT_MODE_UNSPECIFIED
                && heartbeat.getMode() != AgentMode.UNRECOGNIZED) {
            this.mode = heartbeat.getMode();
            this.modeNanos = nowNanos;
        }
    }

    public void onModeReport(long nowNanos, ModeReport report) {
        if (report.getMode() != AgentMode.AGENT_MODE_UNSPECIFIED && report.getMode() != AgentMode.UNRECOGNIZED) {
            this.mode = report.getMode();
            this.modeNanos = nowNanos;
        }
    }

    public void onHealthReport(long nowNanos, HealthReport report) {
        this.report = report;
        this.reportNanos = nowNanos;
    }

    /** The device restarted: nothing heard before describes it any more. */
    public void forget() {
        heartbeat = null;
        mode = null;
        report = null;
    }

    /** The latest heartbeat, if one arrived within {@code maxAge}. */
    public Optional<Heartbeat> heartbeat(long nowNanos, Duration maxAge) {
        return heartbeat != null && fresh(heartbeatNanos, nowNanos, maxAge) ? Optional.of(heartbeat)
                : Optional.empty();
    }

    /** The latest known mode, if heard within {@code maxAge}. */
    public Optional<AgentMode> mode(long nowNanos, Duration maxAge) {
        return mode != null && fresh(modeNanos, nowNanos, maxAge) ? Optional.of(mode) : Optional.empty();
    }

    /** The latest health report, if one arrived within {@code maxAge}. */
    public Optional<HealthReport> report(long nowNanos, Duration maxAge) {
        return report != null && fresh(reportNanos, nowNanos, maxAge) ? Optional.of(report) : Optional.empty();
    }

    private static boolean fresh(long atNanos, long nowNanos, Duration maxAge) {
        return nowNanos - atNanos <= maxAge.toNanos();
    }
}
