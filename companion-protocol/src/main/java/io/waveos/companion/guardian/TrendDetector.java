package io.waveos.companion.guardian;

import io.waveos.companion.proto.HealthReport;
import io.waveos.companion.proto.Prediction;
import io.waveos.companion.proto.SafeModeOrder;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Predicts, from the device's health reports, when a metric will cross its limit, and orders safe mode
 * before it does.
 *
 * <p>Per metric, each report's value (optionally smoothed by an EWMA) goes into a bounded window of the
 * last {@code windowReports} values with the Guardian's receive time. A least-squares line through the
 * window gives the slope, its standard error and the fitted current value. An evaluation is a hit when
 * the slope is positive and significant (at least {@code minSlopeT} standard errors), and the line
 * crosses the limit within the horizon. The significance test is what keeps noise and spikes out: a
 * flat noisy series has an insignificant slope, and a spike inflates the residuals far more than it
 * tilts the line. {@code consecutive} hits in a row
 * emit a {@link SafeModeOrder} whose reason is the prediction. Hysteresis: the metric then stays quiet
 * until its fitted value is back below {@code clearBelow} with no crossing predicted (the episode is
 * over), or until the order's minimum duration has passed (a trend that persists then orders again).
 *
 * <p>Time is the Guardian's own monotonic clock at receipt, not the device's clock: the Guardian trusts
 * no clock but its own. Pure and not thread-safe: owned by the Guardian's loop.
 */
public final class TrendDetector {
    private static final double NANOS_PER_SECOND = 1e9;

    private final TrendConfig config;
    private final List<Track> tracks = new ArrayList<>();

    public TrendDetector(TrendConfig config) {
        this.config = config;
        for (MetricLimit limit : config.limits()) {
            tracks.add(new Track(limit));
        }
    }

    /** Feeds one health report; returns the safe-mode orders it triggers (usually none). */
    public List<SafeModeOrder> onHealthReport(long nowNanos, HealthReport report) {
        List<SafeModeOrder> orders = new ArrayList<>();
        for (Track track : tracks) {
            OptionalDouble value = track.limit.metric().valueOf(report);
            if (value.isPresent() && Double.isFinite(value.getAsDouble())) {
                track.add(nowNanos, value.getAsDouble()).ifPresent(orders::add);
            }
        }
        return List.copyOf(orders);
    }

    /**
     * The device restarted: its history no longer describes it (counters restart, memory is freed). The
     * hysteresis state is kept, so a reboot does not re-arm an order early.
     */
    public void forgetSamples() {
        for (Track track : tracks) {
            track.clearSamples();
        }
    }

    /** One metric's filter, window and hysteresis. */
    private final class Track {
        final MetricLimit limit;
        boolean ewmaStarted;
        double ewma;
        final long[] times = new long[config.windowReports()];
        final double[] values = new double[config.windowReports()];
        int count;
        int next;
        int hits;
        boolean armed = true;
        long orderedAtNanos;

        Track(MetricLimit limit) {
            this.limit = limit;
        }

        void clearSamples() {
            ewmaStarted = false;
            count = 0;
            next = 0;
            hits = 0;
        }

        Optional<SafeModeOrder> add(long nowNanos, double value) {
            double filtered = smooth(value);
            times[next] = nowNanos;
            values[next] = filtered;
            next = (next + 1) % times.length;
            count = Math.min(count + 1, times.length);

            if (!armed && nowNanos - orderedAtNanos >= config.orderMinDuration().toNanos()) {
                armed = true;
                hits = 0;
            }
            if (count < config.minSamples()) {
                return Optional.empty();
            }
            Fit fit = fit();
            boolean hit = fit.slopePerSecond > 0 && fit.slopeT >= config.minSlopeT()
                    && fit.etaSeconds(limit.limit()) * NANOS_PER_SECOND <= config.horizon().toNanos();
            hits = hit ? hits + 1 : 0;
            if (!armed && !hit && fit.current < limit.clearBelow()) {
                // Back below the lower threshold with no crossing predicted: this episode is over.
                armed = true;
                hits = 0;
            }
            if (!armed || hits < config.consecutive()) {
                return Optional.empty();
            }
            armed = false;
            hits = 0;
            orderedAtNanos = nowNanos;
            return Optional.of(order(fit));
        }

        private SafeModeOrder order(Fit fit) {
            double eta = fit.etaSeconds(limit.limit());
            String reason = String.format(Locale.ROOT, "%s %s rising %s/s, crosses %s in ~%s", limit.metric().fieldName(),
                    number(fit.current), number(fit.slopePerSecond), number(limit.limit()),
                    DurationText.ofNanos((long) (eta * NANOS_PER_SECOND)));
            return SafeModeOrder.newBuilder()
                    .setReason(reason)
                    .setMinDurationMs(config.orderMinDuration().toMillis())
                    .setPrediction(Prediction.newBuilder()
                            .setMetric(limit.metric().fieldName())
                            .setCurrentValue(fit.current)
                            .setLimit(limit.limit())
                            .setSlopePerSecond(fit.slopePerSecond)
                            .setEtaMs((long) (eta * 1000)))
                    .build();
        }

        private double smooth(double value) {
            ewma = ewmaStarted ? config.ewmaAlpha() * value + (1 - config.ewmaAlpha()) * ewma : value;
            ewmaStarted = true;
            return ewma;
        }

        /** Ordinary least squares over the window; time in seconds from the oldest sample. */
        private Fit fit() {
            int oldest = (next - count + times.length) % times.length;
            long t0 = times[oldest];
            double sumT = 0;
            double sumV = 0;
            for (int i = 0; i < count; i++) {
                int k = (oldest + i) % times.length;
                sumT += (times[k] - t0) / NANOS_PER_SECOND;
                sumV += values[k];
            }
            double meanT = sumT / count;
            double meanV = sumV / count;
            double sxx = 0;
            double sxy = 0;
            for (int i = 0; i < count; i++) {
                int k = (oldest + i) % times.length;
                double dt = (times[k] - t0) / NANOS_PER_SECOND - meanT;
                sxx += dt * dt;
                sxy += dt * (values[k] - meanV);
            }
            if (sxx == 0) {
                return new Fit(meanV, 0, 0);
            }
            double slope = sxy / sxx;
            double sse = 0;
            for (int i = 0; i < count; i++) {
                int k = (oldest + i) % times.length;
                double residual = values[k] - (meanV + slope * ((times[k] - t0) / NANOS_PER_SECOND - meanT));
                sse += residual * residual;
            }
            double standardError = Math.sqrt(sse / (count - 2) / sxx);
            double slopeT = standardError == 0 ? (slope > 0 ? Double.POSITIVE_INFINITY : 0) : slope / standardError;
            int newest = (next - 1 + times.length) % times.length;
            double current = meanV + slope * ((times[newest] - t0) / NANOS_PER_SECOND - meanT);
            return new Fit(current, slope, slopeT);
        }
    }

    /** A fitted line: its value at the newest sample, its slope and the slope's t statistic. */
    private record Fit(double current, double slopePerSecond, double slopeT) {
        /** Seconds until the line reaches {@code limit}; 0 when already there, infinite when not rising. */
        double etaSeconds(double limit) {
            if (current >= limit) {
                return 0;
            }
            return slopePerSecond > 0 ? (limit - current) / slopePerSecond : Double.POSITIVE_INFINITY;
        }
    }

    /** Three significant digits, plain notation: 0.82, 0.004, 85000. */
    static String number(double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        if (value == 0) {
            return "0";
        }
        return new BigDecimal(value).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }
}
