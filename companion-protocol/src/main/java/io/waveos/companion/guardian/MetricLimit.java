package io.waveos.companion.guardian;

/**
 * A limit the trend detector watches: it orders safe mode when {@code metric} is predicted to rise above
 * {@code limit} within the horizon, and re-arms once the metric is back below {@code clearBelow} (or the
 * order's minimum duration has passed).
 *
 * @param metric the metric
 * @param limit the value that means failure, in the metric's unit
 * @param clearBelow the lower threshold of the hysteresis, below {@code limit}
 */
public record MetricLimit(TrendMetric metric, double limit, double clearBelow) {

    public MetricLimit {
        if (metric == null) {
            throw new IllegalArgumentException("metric is required");
        }
        Validation.finite(metric.fieldName() + ".limit", limit);
        Validation.finite(metric.fieldName() + ".clear-below", clearBelow);
        if (clearBelow >= limit) {
            throw new IllegalArgumentException(metric.fieldName() + ".clear-below (" + clearBelow
                    + ") must be below the limit (" + limit + ")");
        }
    }
}
