package io.waveos.agent.config;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text formats of durations and sizes in {@code agent.yaml}. Pure.
 *
 * <ul>
 *   <li>Duration: 1 to 9 decimal digits then one unit {@code ms}, {@code s}, {@code m} or {@code h},
 *       no sign, no space, no fraction: {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}, {@code 0s}.
 *   <li>Size: 1 to 9 decimal digits then one binary unit {@code B}, {@code KiB}, {@code MiB} or
 *       {@code GiB} (powers of 1024), no sign, no space, no fraction: {@code 512KiB}, {@code 1MiB}.
 * </ul>
 */
final class Quantities {
    static final String DURATION_FORMAT = "a duration: a whole number and a unit ms, s, m or h (e.g. 500ms, 10s, 2m, 1h)";
    static final String SIZE_FORMAT = "a size: a whole number and a unit B, KiB, MiB or GiB (e.g. 512KiB, 1MiB)";

    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m|h)");
    private static final Pattern SIZE = Pattern.compile("([0-9]{1,9})(B|KiB|MiB|GiB)");
    private static final Map<String, ChronoUnit> TIME_UNITS = Map.of(
            "ms", ChronoUnit.MILLIS, "s", ChronoUnit.SECONDS, "m", ChronoUnit.MINUTES, "h", ChronoUnit.HOURS);
    private static final Map<String, Long> SIZE_UNITS = Map.of(
            "B", 1L, "KiB", 1L << 10, "MiB", 1L << 20, "GiB", 1L << 30);

    private Quantities() {
    }

    static Optional<Duration> duration(String text) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(Duration.of(Long.parseLong(m.group(1)), TIME_UNITS.get(m.group(2))));
    }

    static Optional<Long> bytes(String text) {
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(m.group(1)) * SIZE_UNITS.get(m.group(2)));
    }

    /** Why {@code text} is not a duration, when a common mistake explains it; else empty text. */
    static String durationHint(String text) {
        if (text.startsWith("-")) {
            return " (durations must not be negative)";
        }
        if (text.matches("[0-9]+")) {
            return " (missing unit: write e.g. " + text + "s)";
        }
        if (text.matches("[0-9]{10,}(ms|s|m|h)")) {
            return " (too large: at most 9 digits)";
        }
        return "";
    }

    /** Why {@code text} is not a size, when a common mistake explains it; else empty text. */
    static String sizeHint(String text) {
        if (text.startsWith("-")) {
            return " (sizes must not be negative)";
        }
        if (text.matches("[0-9]+")) {
            return " (missing unit: write e.g. " + text + "B)";
        }
        if (text.matches("[0-9]+ ?(kB|KB|K|k|MB|M|GB|G|KIB|MIB|GIB|kib|mib|gib)")) {
            return " (only binary units B, KiB, MiB, GiB are accepted, spelled exactly so)";
        }
        if (text.matches("[0-9]{10,}(B|KiB|MiB|GiB)")) {
            return " (too large: at most 9 digits)";
        }
        return "";
    }
}
