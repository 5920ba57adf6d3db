package io.waveos.agent.spool;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A segment file's name, {@code FIRSTSEQ-WALLMILLIS.seg} (20 and 13 zero-padded digits), so that
 * sorted names are in sequence order and age is known without opening the file. A segment holds the
 * records {@code firstSequence} up to the next segment's first sequence minus one.
 *
 * @param firstSequence the sequence number of the segment's first record
 * @param createdWallMillis wall time the segment was started, milliseconds since the epoch
 */
public record SegmentName(long firstSequence, long createdWallMillis) implements Comparable<SegmentName> {
    private static final Pattern FORMAT = Pattern.compile("([0-9]{20})-([0-9]{13})\\.seg");

    public SegmentName {
        if (firstSequence < 0 || createdWallMillis < 0) {
            throw new IllegalArgumentException("segment name numbers must not be negative");
        }
    }

    public String fileName() {
        return String.format("%020d-%013d.seg", firstSequence, createdWallMillis);
    }

    /** The name of a segment file; empty for any other file (temporaries, cursors). */
    public static Optional<SegmentName> parse(String fileName) {
        Matcher m = FORMAT.matcher(fileName);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new SegmentName(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
    }

    @Override
    public int compareTo(SegmentName o) {
        int bySequence = Long.compare(firstSequence, o.firstSequence);
        return bySequence != 0 ? bySequence : Long.compare(createdWallMillis, o.createdWallMillis);
    }
}
