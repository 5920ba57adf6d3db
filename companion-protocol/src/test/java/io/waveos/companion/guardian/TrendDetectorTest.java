package io.waveos.companion.guardian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.companion.proto.HealthReport;
import io.waveos.companion.proto.Prediction;
import io.waveos.companion.proto.SafeModeOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongToDoubleFunction;
import org.junit.jupiter.api.Test;

class TrendDetectorTest {
    private static final long S = 1_000_000_000L;
    private static final long TOTAL = 1_000_000_000L;
    /** Memory: limit 0.95, clear below 0.85; window 120, 30 samples, 10 min horizon, 3 in a row, t >= 5. */
    private static final TrendConfig CONFIG = TrendConfig.DEFAULT;

    private record Order(long atSeconds, SafeModeOrder order) {
    }

    private static HealthReport memory(double ratio) {
        return HealthReport.newBuilder().setMemoryTotalBytes(TOTAL).setMemoryUsedBytes((long) (ratio * TOTAL))
                .setTemperatureMillicelsius(45_000).build();
    }

    /** One report a second for {@code seconds} seconds, the memory ratio given by {@code ratioAt(second)}. */
    private static List<Order> run(TrendDetector detector, long fromSecond, long seconds, LongToDoubleFunction ratioAt) {
        List<Order> orders = new ArrayList<>();
        for (long t = fromSecond; t < fromSecond + seconds; t++) {
            for (SafeModeOrder order : detector.onHealthReport(t * S, memory(ratioAt.applyAsDouble(t)))) {
                orders.add(new Order(t, order));
            }
        }
        return orders;
    }

    @Test
    void aRisingSeriesOrdersSafeModeWellBeforeItCrossesTheLimit() {
        Random noise = new Random(42);
        // 0.60 rising 0.0005/s with 0.005 of noise: crosses 0.95 at 700 s.
        List<Order> orders = run(new TrendDetector(CONFIG), 0, 700,
                t -> 0.60 + 0.0005 * t + 0.005 * noise.nextGaussian());

        assertEquals(1, orders.size(), orders.toString());
        Order first = orders.get(0);
        assertTrue(first.atSeconds() < 700 - 60, "at least a minute before the crossing, was at " + first.atSeconds());
        Prediction p = first.order().getPrediction();
        assertEquals("memory_used_ratio", p.getMetric());
        assertEquals(0.95, p.getLimit());
        assertEquals(0.0005, p.getSlopePerSecond(), 0.0002);
        double trueEtaMs = (700 - first.atSeconds()) * 1000.0;
        assertEquals(trueEtaMs, p.getEtaMs(), trueEtaMs * 0.3, "the predicted time to the crossing");
        assertTrue(p.getEtaMs() <= CONFIG.horizon().toMillis());
        assertEquals(600_000, first.order().getMinDurationMs());
        assertTrue(first.order().getReason().matches(
                "memory_used_ratio 0\\.6\\d+ rising 0\\.000\\d+/s, crosses 0\\.95 in ~\\d+(\\.\\d)? min"),
                first.order().getReason());
    }

    @Test
    void aNoisyFlatSeriesNeverOrdersSafeMode() {
        for (long seed = 1; seed <= 5; seed++) {
            Random noise = new Random(seed);
            List<Order> high = run(new TrendDetector(CONFIG), 0, 6 * 3600,
                    t -> 0.90 + 0.01 * noise.nextGaussian());
            assertEquals(List.of(), high, "seed " + seed + ": flat at 0.90 (limit 0.95), noise 0.01");
            List<Order> wide = run(new TrendDetector(CONFIG), 0, 6 * 3600,
                    t -> 0.75 + 0.04 * noise.nextGaussian());
            assertEquals(List.of(), wide, "seed " + seed + ": flat at 0.75, noise 0.04");
        }
    }

    /** A short window, where one report tilts the line the most. */
    private static TrendConfig shortWindow(int consecutive, double minSlopeT) {
        return new TrendConfig(CONFIG.limits(), 60, 30, 1.0, CONFIG.horizon(), consecutive, minSlopeT,
                CONFIG.orderMinDuration());
    }

    private static double spiky(Random noise, long t) {
        return t == 200 || t == 250 || t == 251 ? 0.99 : 0.60 + 0.002 * noise.nextGaussian();
    }

    @Test
    void aSpikeAloneDoesNotOrderSafeMode() {
        Random noise = new Random(7);
        List<Order> orders = run(new TrendDetector(shortWindow(3, 5.0)), 0, 300, t -> spiky(noise, t));
        assertEquals(List.of(), orders, "a one-report and a two-report spike, even above the limit");
    }

    @Test
    void withoutTheSignificanceTestTheSameSpikeWouldOrder() {
        Random noise = new Random(7);
        List<Order> orders = run(new TrendDetector(shortWindow(1, 0.0)), 0, 300, t -> spiky(noise, t));
        assertTrue(!orders.isEmpty() && orders.get(0).atSeconds() == 200,
                "the t test, not luck, keeps the spike out: " + orders);
    }

    @Test
    void ordersOnlyAfterConsecutiveEvaluationsPredictTheCrossing() {
        TrendConfig five = new TrendConfig(CONFIG.limits(), 60, 20, 1.0, CONFIG.horizon(), 5, 5.0,
                CONFIG.orderMinDuration());
        // Rising 0.001/s from 0.5: a crossing within 10 min is predicted from the first full fit.
        List<Order> orders = run(new TrendDetector(five), 0, 100, t -> 0.50 + 0.001 * t);
        assertEquals(1, orders.size());
        assertEquals(19 + 4, orders.get(0).atSeconds(), "20 samples for the first fit, then 5 hits in a row");
    }

    @Test
    void staysQuietAfterAnOrderUntilTheMinimumDurationPasses() {
        TrendConfig shortOrder = new TrendConfig(CONFIG.limits(), 60, 20, 1.0, Duration.ofHours(1), 1, 3.0,
                Duration.ofSeconds(120));
        TrendDetector detector = new TrendDetector(shortOrder);
        // Slowly rising and staying above 0.85: only the minimum duration re-arms the metric.
        List<Order> orders = run(detector, 0, 400, t -> 0.86 + 0.0001 * t);
        assertEquals(List.of(19L, 139L, 259L, 379L), orders.stream().map(Order::atSeconds).toList());
    }

    @Test
    void rearmsWhenTheMetricIsBackBelowTheClearThreshold() {
        TrendConfig longOrder = new TrendConfig(CONFIG.limits(), 20, 10, 1.0, CONFIG.horizon(), 1, 3.0,
                Duration.ofHours(1));
        TrendDetector detector = new TrendDetector(longOrder);
        List<Order> first = run(detector, 0, 40, t -> 0.80 + 0.003 * t); // crosses 0.85 at 17 s
        assertEquals(1, first.size());
        assertTrue(run(detector, 40, 60, t -> 0.92 + 0.0005 * (t - 40)).isEmpty(), "still above 0.85: quiet");
        assertTrue(run(detector, 100, 30, t -> 0.50).isEmpty(), "dropped below 0.85: re-armed, flat: quiet");
        List<Order> again = run(detector, 130, 40, t -> 0.50 + 0.004 * (t - 130));
        assertEquals(1, again.size(), "a new rise orders again within the hour");
    }

    @Test
    void anOrderFiredBelowTheClearThresholdDoesNotRearmAtOnce() {
        TrendConfig longOrder = new TrendConfig(CONFIG.limits(), 20, 10, 1.0, CONFIG.horizon(), 1, 3.0,
                Duration.ofHours(1));
        List<Order> orders = run(new TrendDetector(longOrder), 0, 60, t -> 0.60 + 0.002 * t);
        assertEquals(1, orders.size(), "one order for one rise, though it started below 0.85: " + orders);
    }

    @Test
    void aValueAlreadyAboveTheLimitAndRisingIsDueNow() {
        TrendConfig config = new TrendConfig(CONFIG.limits(), 20, 10, 1.0, CONFIG.horizon(), 1, 3.0,
                CONFIG.orderMinDuration());
        List<Order> orders = run(new TrendDetector(config), 0, 20, t -> 0.96 + 0.0001 * t);
        assertEquals(1, orders.size());
        assertEquals(0, orders.get(0).order().getPrediction().getEtaMs());
        assertTrue(orders.get(0).order().getReason().endsWith("crosses 0.95 in ~0 ms"),
                orders.get(0).order().getReason());
    }

    @Test
    void aFallingOrFlatSeriesNeverOrdersEvenAboveTheLimit() {
        TrendConfig config = new TrendConfig(CONFIG.limits(), 20, 10, 1.0, CONFIG.horizon(), 1, 3.0,
                CONFIG.orderMinDuration());
        assertTrue(run(new TrendDetector(config), 0, 100, t -> 0.99 - 0.0001 * t).isEmpty());
        assertTrue(run(new TrendDetector(config), 0, 100, t -> 0.97).isEmpty());
    }

    @Test
    void forgetsItsSamplesWhenTheDeviceRestarts() {
        TrendConfig config = new TrendConfig(CONFIG.limits(), 60, 20, 1.0, CONFIG.horizon(), 1, 3.0,
                CONFIG.orderMinDuration());
        TrendDetector detector = new TrendDetector(config);
        assertTrue(run(detector, 0, 15, t -> 0.50 + 0.001 * t).isEmpty());
        detector.forgetSamples();
        assertTrue(run(detector, 15, 19, t -> 0.50 + 0.001 * t).isEmpty(), "19 fresh samples are not enough");
        assertEquals(1, run(detector, 34, 1, t -> 0.50 + 0.001 * t).size(), "the 20th is");
    }

    @Test
    void followsTemperatureInItsOwnUnit() {
        TrendConfig config = new TrendConfig(List.of(new MetricLimit(TrendMetric.TEMPERATURE_MILLICELSIUS, 90_000,
                80_000)), 60, 20, 0.5, CONFIG.horizon(), 3, 8.0, CONFIG.orderMinDuration());
        TrendDetector detector = new TrendDetector(config);
        List<SafeModeOrder> orders = new ArrayList<>();
        for (long t = 0; t < 600 && orders.isEmpty(); t++) {
            orders.addAll(detector.onHealthReport(t * S, HealthReport.newBuilder()
                    .setTemperatureMillicelsius((int) (60_000 + 50 * t)).build()));
        }
        assertEquals(1, orders.size());
        assertEquals("temperature_millicelsius", orders.get(0).getPrediction().getMetric());
        assertTrue(orders.get(0).getReason().matches("temperature_millicelsius 6\\d{4} rising \\d\\d(\\.\\d+)?/s, crosses 90000 in ~\\d+(\\.\\d)? min"),
                orders.get(0).getReason());
    }

    @Test
    void absentTemperatureAndCpuAreSkippedNotReadAsZero() {
        TrendConfig config = new TrendConfig(List.of(new MetricLimit(TrendMetric.TEMPERATURE_MILLICELSIUS, 90_000,
                80_000), new MetricLimit(TrendMetric.CPU_PERMILLE, 950, 900)), 60, 20, 1.0, CONFIG.horizon(), 3, 8.0,
                CONFIG.orderMinDuration());
        TrendDetector detector = new TrendDetector(config);
        List<SafeModeOrder> orders = new ArrayList<>();
        for (long t = 0; t < 600 && orders.isEmpty(); t++) {
            // Every other report lacks both figures (a sensor that could not be read, the first report).
            HealthReport report = t % 2 == 0
                    ? HealthReport.newBuilder().setTemperatureMillicelsius((int) (60_000 + 50 * t)).build()
                    : HealthReport.newBuilder().setMemoryTotalBytes(TOTAL).build();
            orders.addAll(detector.onHealthReport(t * S, report));
        }
        assertEquals(1, orders.size(), "zeros in the window would hide the rise");
        assertEquals("temperature_millicelsius", orders.get(0).getPrediction().getMetric());
        assertTrue(orders.get(0).getPrediction().getCurrentValue() > 60_000, orders.get(0).getReason());
        assertTrue(TrendMetric.CPU_PERMILLE.valueOf(HealthReport.getDefaultInstance()).isEmpty());
        assertEquals(0.0, TrendMetric.CPU_PERMILLE.valueOf(HealthReport.newBuilder().setCpuPermille(0).build())
                .getAsDouble(), "a present 0 is a value");
    }

    @Test
    void skipsTheMemoryRatioWhenTheReportHasNoTotal() {
        TrendDetector detector = new TrendDetector(CONFIG);
        for (long t = 0; t < 100; t++) {
            assertTrue(detector.onHealthReport(t * S, HealthReport.newBuilder().setMemoryUsedBytes(t * 1000).build())
                    .isEmpty());
        }
    }

    @Test
    void formatsNumbersWithThreeSignificantDigits() {
        assertEquals("0.821", TrendDetector.number(0.82149));
        assertEquals("0.004", TrendDetector.number(0.004));
        assertEquals("85000", TrendDetector.number(85_000));
        assertEquals("0.95", TrendDetector.number(0.95));
        assertEquals("0", TrendDetector.number(0));
    }
}
