package io.waveos.companion.guardian;

import io.waveos.companion.proto.AgentMode;
import io.waveos.companion.proto.Heartbeat;
import io.waveos.companion.proto.HealthReport;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * When the Guardian considers the device's health degraded, from what it heard recently. Only reports
 * younger than {@code maxAge} count: stale health is unknown, and unknown is not degraded (a device
 * that sends no health reports can still be updated; the watchdog covers a silent device).
 *
 * @param modes agent modes that count as degraded (default SAFE)
 * @param loopUnhealthy a heartbeat reporting an unhealthy loop counts as degraded
 * @param maxMemoryUsedRatio memory used / total above this is degraded
 * @param maxErrorRatePerMin an error rate above this is degraded
 * @param maxTemperatureMillicelsius a temperature above this is degraded
 * @param maxAge heartbeats, mode reports and health reports older than this are ignored
 */
public record DegradedLimits(
        Set<AgentMode> modes,
        boolean loopUnhealthy,
        double maxMemoryUsedRatio,
        long maxErrorRatePerMin,
        long maxTemperatureMillicelsius,
        Duration maxAge) {

    public static final DegradedLimits DEFAULT = new DegradedLimits(Set.of(AgentMode.AGENT_MODE_SAFE), true,
            0.90, 60, 85_000, Duration.ofSeconds(60));

    public DegradedLimits {
        modes = Set.copyOf(modes);
        Validation.ratio("degraded.max-memory-used-ratio", maxMemoryUsedRatio);
        if (maxErrorRatePerMin < 0) {
            throw new IllegalArgumentException("degraded.max-error-rate-per-min must be >= 0, was "
                    + maxErrorRatePerMin);
        }
        Validation.positive("degraded.max-age", maxAge);
    }

    /**
     * Why the device counts as degraded at {@code nowNanos}, or empty when it does not.
     *
     * @param countMode whether the device's reported mode counts
     */
    public Optional<String> degradation(DeviceHealth health, long nowNanos, boolean countMode) {
        Optional<AgentMode> mode = health.mode(nowNanos, maxAge);
        if (countMode && mode.isPresent() && modes.contains(mode.get())) {
            return Optional.of("device reports mode " + mode.get().name());
        }
        Optional<Heartbeat> heartbeat = health.heartbeat(nowNanos, maxAge);
        if (loopUnhealthy && heartbeat.isPresent() && !heartbeat.get().getLoopHealthy()) {
            return Optional.of("device reports its event loop unhealthy");
        }
        Optional<HealthReport> report = health.report(nowNanos, maxAge);
        if (report.isEmpty()) {
            return Optional.empty();
        }
        HealthReport r = report.get();
        OptionalDouble memory = TrendMetric.MEMORY_USED_RATIO.valueOf(r);
        if (memory.isPresent() && memory.getAsDouble() > maxMemoryUsedRatio) {
            return Optional.of(String.format(Locale.ROOT, "memory_used_ratio %.3f > %.3f", memory.getAsDouble(),
                    maxMemoryUsedRatio));
        }
        long errors = Integer.toUnsignedLong(r.getErrorRatePerMin());
        if (errors > maxErrorRatePerMin) {
            return Optional.of("error_rate_per_min " + errors + " > " + maxErrorRatePerMin);
        }
        if (r.hasTemperatureMillicelsius() && r.getTemperatureMillicelsius() > maxTemperatureMillicelsius) {
            return Optional.of("temperature_millicelsius " + r.getTemperatureMillicelsius() + " > "
                    + maxTemperatureMillicelsius);
        }
        return Optional.empty();
    }
}
