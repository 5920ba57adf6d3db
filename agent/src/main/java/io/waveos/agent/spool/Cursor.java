package io.waveos.agent.spool;

import java.util.Objects;
import java.util.Optional;

/**
 * A position in the spool: a segment and a byte offset in it where a record starts (or the end of
 * its valid content). Its text form, {@code SEGMENTFILE@OFFSET}, is what a forwarder persists.
 */
public record Cursor(SegmentName segment, long offset) {
    public Cursor {
        Objects.requireNonNull(segment, "segment");
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative: " + offset);
        }
    }

    public String text() {
        return segment.fileName() + "@" + offset;
    }

    /** Parses {@link #text()}; empty when the text is not a cursor. */
    public static Optional<Cursor> parse(String text) {
        int at = text.trim().lastIndexOf('@');
        if (at < 0) {
            return Optional.empty();
        }
        Optional<SegmentName> name = SegmentName.parse(text.trim().substring(0, at));
        try {
            long offset = Long.parseLong(text.trim().substring(at + 1));
            return name.filter(n -> offset >= 0).map(n -> new Cursor(n, offset));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
