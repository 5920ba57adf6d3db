package io.waveos.agent.spool;

import io.waveos.agent.platform.Storage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads records from the spool folder directly, while the writer may be appending (another thread or
 * another process: {@code waveos logs}). Holds no state between calls but the folder.
 *
 * <p>Reading from a cursor goes on across segments. A cursor whose segment retention deleted moves
 * to the oldest segment left ({@link Batch#skippedSegments} says how many were gone). A record still
 * being written (the incomplete end of the newest segment) is not returned; a later read returns it.
 * Corrupt stretches, and an incomplete end of an older segment, are skipped and listed in
 * {@link Batch#corrupt}. Each call reads whole segment files: segments are small by configuration.
 */
public final class SpoolReader {
    private final Storage storage;
    private final Path dir;

    public SpoolReader(Storage storage, Path dir) {
        this.storage = storage;
        this.dir = dir;
    }

    /** Records read, where to continue, and what was skipped. */
    public record Batch(List<SpoolRecord> records, Cursor next, List<String> corrupt, int skippedSegments) {
        public Batch {
            records = List.copyOf(records);
            corrupt = List.copyOf(corrupt);
        }
    }

    /** The segments present, oldest first. */
    public List<SegmentName> segments() throws IOException {
        List<SegmentName> names = new ArrayList<>();
        for (String file : storage.list(dir)) {
            SegmentName.parse(file).ifPresent(names::add);
        }
        names.sort(null);
        return List.copyOf(names);
    }

    /** The start of the oldest segment; empty when the spool holds no segment. */
    public Optional<Cursor> oldest() throws IOException {
        List<SegmentName> names = segments();
        return names.isEmpty() ? Optional.empty() : Optional.of(new Cursor(names.get(0), 0));
    }

    /**
     * The cursor of the first record with a sequence number at or above {@code sequence}, or the end
     * of the spool when there is none yet; empty when the spool holds no segment.
     */
    public Optional<Cursor> seek(long sequence) throws IOException {
        List<SegmentName> names = segments();
        if (names.isEmpty()) {
            return Optional.empty();
        }
        int index = 0;
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).firstSequence() <= sequence) {
                index = i;
            }
        }
        for (int i = index; i < names.size(); i++) {
            byte[] bytes = storage.read(dir.resolve(names.get(i).fileName())).orElse(new byte[0]);
            SegmentScan scan = SegmentScan.of(bytes);
            for (SegmentScan.Located l : scan.records()) {
                if (l.record().sequence() >= sequence) {
                    return Optional.of(new Cursor(names.get(i), l.offset()));
                }
            }
            if (i == names.size() - 1) {
                return Optional.of(new Cursor(names.get(i), scan.validEnd()));
            }
        }
        throw new IllegalStateException("unreachable: the last segment returns");
    }

    /** Reads up to {@code maxRecords} records from {@code from}. */
    public Batch read(Cursor from, int maxRecords) throws IOException {
        List<SegmentName> names = segments();
        List<SpoolRecord> out = new ArrayList<>();
        List<String> corrupt = new ArrayList<>();
        int skipped = 0;
        int index = names.indexOf(from.segment());
        Cursor at = from;
        if (index < 0) {
            index = firstAfter(names, from.segment());
            if (index >= names.size()) {
                return new Batch(out, from, corrupt, 0);
            }
            skipped = 1;
            at = new Cursor(names.get(index), 0);
        }
        while (out.size() < maxRecords) {
            SegmentName name = names.get(index);
            byte[] bytes = storage.read(dir.resolve(name.fileName())).orElse(new byte[0]);
            int start = (int) Math.min(at.offset(), bytes.length);
            SegmentScan scan = SegmentScan.of(bytes, start, bytes.length);
            int end = scan.validEnd();
            for (SegmentScan.Located l : scan.records()) {
                if (out.size() == maxRecords) {
                    return new Batch(out, new Cursor(name, l.offset()), corrupt, skipped);
                }
                out.add(l.record());
            }
            for (SegmentScan.Corrupt c : scan.corrupt()) {
                corrupt.add(name.fileName() + " bytes " + c.from() + ".." + c.to() + ": " + c.reason());
            }
            boolean last = index == names.size() - 1;
            if (last) {
                return new Batch(out, new Cursor(name, end), corrupt, skipped);
            }
            if (scan.tornTail()) {
                corrupt.add(name.fileName() + " bytes " + end + ".." + bytes.length + ": incomplete record at the end");
            }
            index++;
            at = new Cursor(names.get(index), 0);
        }
        return new Batch(out, at, corrupt, skipped);
    }

    private static int firstAfter(List<SegmentName> names, SegmentName gone) {
        int i = 0;
        while (i < names.size() && names.get(i).compareTo(gone) < 0) {
            i++;
        }
        return i;
    }
}
