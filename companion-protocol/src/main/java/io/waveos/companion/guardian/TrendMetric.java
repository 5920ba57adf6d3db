package io.waveos.companion.guardian;

import io.waveos.companion.proto.HealthReport;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A metric the trend detector can follow, named as in {@code HealthReport} (the name appears in
 * {@code Prediction.metric}). {@code memory_used_ratio} is the one derived metric:
 * {@code memory_used_bytes / memory_total_bytes}, so that one limit fits devices of any memory size.
 */
public enum TrendMetric {
    MEMORY_USED_RATIO("memory_used_ratio"),
    CPU_PERMILLE("cpu_permille"),
    ERROR_RATE_PER_MIN("error_rate_per_min"),
    RESTARTS_TOTAL("restarts_total"),
    TEMPERATURE_MILLICELSIUS("temperature_millicelsius");

    private final String fieldName;

    TrendMetric(String fieldName) {
        this.fieldName = fieldName;
    }

    /** The name used in configuration, predictions and logs. */
    public String fieldName() {
        return fieldName;
    }

    /**
     * The metric's value in {@code report}; empty when the report cannot give it: no memory total, or
     * CPU or temperature absent (unknown to the device; absence is not 0).
     */
    public OptionalDouble valueOf(HealthReport report) {
        return switch (this) {
            case MEMORY_USED_RATIO -> report.getMemoryTotalBytes() == 0 ? OptionalDouble.empty()
                    : OptionalDouble.of(unsigned(report.getMemoryUsedBytes()) / unsigned(report.getMemoryTotalBytes()));
            case CPU_PERMILLE -> report.hasCpuPermille()
                    ? OptionalDouble.of(Integer.toUnsignedLong(report.getCpuPermille())) : OptionalDouble.empty();
            case ERROR_RATE_PER_MIN -> OptionalDouble.of(Integer.toUnsignedLong(report.getErrorRatePerMin()));
            case RESTARTS_TOTAL -> OptionalDouble.of(unsigned(report.getRestartsTotal()));
            case TEMPERATURE_MILLICELSIUS -> report.hasTemperatureMillicelsius()
                    ? OptionalDouble.of(report.getTemperatureMillicelsius()) : OptionalDouble.empty();
        };
    }

    /** The metric called {@code fieldName}, if there is one. */
    public static Optional<TrendMetric> byFieldName(String fieldName) {
        for (TrendMetric metric : values()) {
            if (metric.fieldName.equals(fieldName.toLowerCase(Locale.ROOT))) {
                return Optional.of(metric);
            }
        }
        return Optional.empty();
    }

    private static double unsigned(long value) {
        return value >= 0 ? value : (value >>> 1) * 2.0 + (value & 1);
    }
}
