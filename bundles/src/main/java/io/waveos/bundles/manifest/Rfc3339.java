package io.waveos.bundles.manifest;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * RFC 3339 date-times as manifests and trust roots use them: {@code 2026-05-01T12:00:00Z} or with an
 * offset ({@code +02:00}) and an optional fraction of 1 to 9 digits. Upper-case {@code T} and {@code Z}
 * only; no leap second ({@code :60}). Written canonically in UTC by {@link #format}.
 */
public final class Rfc3339 {

    private static final Pattern SHAPE = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})");

    private Rfc3339() {
    }

    /**
     * The instant {@code text} denotes.
     *
     * @throws IllegalArgumentException with the expected form when it has another shape or is no date
     */
    public static Instant parse(String text) {
        if (!SHAPE.matcher(text).matches()) {
            throw new IllegalArgumentException(
                    "RFC 3339 date-time with offset, like 2026-05-01T12:00:00Z, found \"" + text + "\"");
        }
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("a valid RFC 3339 date-time, found \"" + text + "\"", e);
        }
    }

    /** UTC with {@code Z}; fraction digits only when needed (in groups of three). */
    public static String format(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant);
    }
}
