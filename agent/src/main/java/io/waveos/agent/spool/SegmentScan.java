package io.waveos.agent.spool;

import java.util.ArrayList;
import java.util.List;

/**
 * What a segment's bytes hold, pure: the valid records in order, the corrupt stretches between them,
 * and where the valid content ends.
 *
 * <p>Rule: from each failure the scan looks for the next offset where a whole valid record decodes.
 * If one exists, the bytes between are a {@link Corrupt} stretch (skipped and reported; reading goes
 * on). If none exists, everything from the failure to the end is the torn tail: {@link #validEnd}
 * stops there. For the segment being written that is a power cut's torn append, and recovery
 * truncates to {@code validEnd}; for a reader racing the writer it is a record not yet complete.
 *
 * @param records the valid records with their offsets, in file order
 * @param corrupt stretches skipped between valid records
 * @param validEnd the offset just past the last valid record (0 when there is none)
 * @param length the scanned length; {@code length > validEnd} means a torn or incomplete tail
 */
public record SegmentScan(List<Located> records, List<Corrupt> corrupt, int validEnd, int length) {
    public SegmentScan {
        records = List.copyOf(records);
        corrupt = List.copyOf(corrupt);
    }

    /** A record and the offset of its first byte in the segment. */
    public record Located(SpoolRecord record, int offset) {
    }

    /** Bytes {@code [from, to)} that hold no valid record, and why the first of them failed. */
    public record Corrupt(int from, int to, String reason) {
    }

    /** Scans {@code bytes[from, length)}; {@code from} must be a record boundary (0 or a cursor offset). */
    public static SegmentScan of(byte[] bytes, int from, int length) {
        List<Located> records = new ArrayList<>();
        List<Corrupt> corrupt = new ArrayList<>();
        int at = from;
        int validEnd = from;
        while (at < length) {
            RecordCodec.Result r = RecordCodec.decode(bytes, at, length);
            if (r instanceof RecordCodec.Decoded d) {
                records.add(new Located(d.record(), at));
                at = d.end();
                validEnd = at;
                continue;
            }
            String reason = r instanceof RecordCodec.Invalid i ? i.reason() : "incomplete record at offset " + at;
            int next = nextValid(bytes, at + 1, length);
            if (next == length) {
                break;
            }
            corrupt.add(new Corrupt(at, next, reason));
            at = next;
        }
        return new SegmentScan(records, corrupt, validEnd, length);
    }

    public static SegmentScan of(byte[] bytes) {
        return of(bytes, 0, bytes.length);
    }

    public boolean tornTail() {
        return length > validEnd;
    }

    private static int nextValid(byte[] bytes, int from, int length) {
        for (int at = RecordCodec.nextMagic(bytes, from, length); at < length;
                at = RecordCodec.nextMagic(bytes, at + 1, length)) {
            if (RecordCodec.decode(bytes, at, length) instanceof RecordCodec.Decoded) {
                return at;
            }
        }
        return length;
    }
}
