package io.waveos.companion.guardian;

import java.time.Duration;
import java.util.Locale;

/** Short human renderings of durations for log texts: {@code 250 ms}, {@code 12.5 s}, {@code 10 min}. */
final class DurationText {

    private DurationText() {
    }

    static String of(Duration duration) {
        return ofNanos(duration.toNanos());
    }

    static String ofNanos(long nanos) {
        double seconds = nanos / 1e9;
        if (Math.abs(seconds) < 1) {
            return String.format(Locale.ROOT, "%d ms", nanos / 1_000_000L);
        }
        if (Math.abs(seconds) < 120) {
            return trim(String.format(Locale.ROOT, "%.1f", seconds)) + " s";
        }
        if (Math.abs(seconds) < 3600) {
            return trim(String.format(Locale.ROOT, "%.1f", seconds / 60)) + " min";
        }
        return trim(String.format(Locale.ROOT, "%.1f", seconds / 3600)) + " h";
    }

    private static String trim(String number) {
        return number.endsWith(".0") ? number.substring(0, number.length() - 2) : number;
    }
}
