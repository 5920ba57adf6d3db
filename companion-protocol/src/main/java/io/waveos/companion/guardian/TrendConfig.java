package io.waveos.companion.guardian;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Settings of the {@link TrendDetector}.
 *
 * @param limits the metrics to follow, each at most once
 * @param windowReports the sliding window: the fit uses the last this many health reports
 * @param minSamples no prediction before this many reports are in the window (at least 3)
 * @param ewmaAlpha each value is smoothed by an EWMA with this weight of the newest value, in (0, 1];
 *     1 (the default) turns smoothing off. Smoothing correlates neighbouring values, which inflates
 *     the slope's t statistic: raise {@code minSlopeT} with it
 * @param horizon a predicted crossing within this counts
 * @param consecutive this many consecutive evaluations must predict a crossing within the horizon
 * @param minSlopeT the fitted slope must be at least this many standard errors above zero: noise
 *     and spikes alone do not make a trend. The test runs at every report, so it must be strict: with
 *     the defaults, 200 hours of flat Gaussian noise 5 sigma below the limit gave no order
 * @param orderMinDuration the minimum duration put in each safe-mode order; also how long before the
 *     same metric may order again while it has not come back below its clear threshold
 */
public record TrendConfig(
        List<MetricLimit> limits,
        int windowReports,
        int minSamples,
        double ewmaAlpha,
        Duration horizon,
        int consecutive,
        double minSlopeT,
        Duration orderMinDuration) {

    public static final int MAX_WINDOW_REPORTS = 3600;

    public static final TrendConfig DEFAULT = new TrendConfig(
            List.of(new MetricLimit(TrendMetric.MEMORY_USED_RATIO, 0.95, 0.85),
                    new MetricLimit(TrendMetric.TEMPERATURE_MILLICELSIUS, 90_000, 80_000)),
            120, 30, 1.0, Duration.ofMinutes(10), 3, 5.0, Duration.ofMinutes(10));

    public TrendConfig {
        limits = List.copyOf(limits);
        Set<TrendMetric> seen = EnumSet.noneOf(TrendMetric.class);
        for (MetricLimit limit : limits) {
            if (!seen.add(limit.metric())) {
                throw new IllegalArgumentException("metric " + limit.metric().fieldName() + " is configured twice");
            }
        }
        if (windowReports < 3 || windowReports > MAX_WINDOW_REPORTS) {
            throw new IllegalArgumentException("window-reports must be 3.." + MAX_WINDOW_REPORTS + ", was "
                    + windowReports);
        }
        if (minSamples < 3 || minSamples > windowReports) {
            throw new IllegalArgumentException("min-samples must be 3..window-reports (" + windowReports
                    + "), was " + minSamples);
        }
        Validation.ratio("ewma-alpha", ewmaAlpha);
        Validation.positive("horizon", horizon);
        Validation.atLeast("consecutive", consecutive, 1);
        if (!(minSlopeT >= 0) || !Double.isFinite(minSlopeT)) {
            throw new IllegalArgumentException("min-slope-t must be a number >= 0, was " + minSlopeT);
        }
        Validation.positive("order-min-duration", orderMinDuration);
    }
}
