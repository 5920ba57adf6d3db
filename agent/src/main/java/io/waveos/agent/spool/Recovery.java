package io.waveos.agent.spool;

import io.waveos.agent.platform.Storage;
import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.EventCode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the spool does at start: list the segments and make the last one (the one a power cut may
 * have torn) end on a whole record.
 *
 * <p>Only the tail segment is scanned and only a torn tail is cut: the valid prefix is rewritten with
 * {@link Storage#writeAtomically}, so a power cut during recovery leaves the old or the cut segment,
 * never less. Corrupt stretches in the middle are kept on disk (readers skip them) and reported.
 * Earlier segments were complete when the writer left them and are not read here.
 */
final class Recovery {
    private Recovery() {
    }

    /** The segments found, oldest first, and the sequence number the next record gets. */
    record Found(List<Segment> segments, long nextSequence) {
        Found {
            segments = List.copyOf(segments);
        }
    }

    /** A segment and its size in bytes. */
    record Segment(SegmentName name, long bytes) {
    }

    static Found recover(Storage storage, Path dir, SpoolListener listener) throws IOException {
        List<Segment> segments = new ArrayList<>();
        for (String file : storage.list(dir)) {
            Optional<SegmentName> name = SegmentName.parse(file);
            if (name.isPresent()) {
                segments.add(new Segment(name.get(), storage.size(dir.resolve(file)).orElse(0L)));
            }
        }
        segments.sort((a, b) -> a.name().compareTo(b.name()));
        if (segments.isEmpty()) {
            return new Found(segments, 0);
        }
        Segment tail = segments.get(segments.size() - 1);
        Path path = dir.resolve(tail.name().fileName());
        byte[] bytes = storage.read(path).orElse(new byte[0]);
        SegmentScan scan = SegmentScan.of(bytes);
        for (SegmentScan.Corrupt c : scan.corrupt()) {
            listener.report(Event.of(EventCode.SPOOL_CORRUPT_RECORD, "spool", "corrupt record skipped: " + c.reason(),
                    "segment", tail.name().fileName(), "from", (long) c.from(), "to", (long) c.to()));
        }
        if (scan.tornTail()) {
            byte[] kept = java.util.Arrays.copyOf(bytes, scan.validEnd());
            storage.writeAtomically(path, kept);
            listener.report(Event.of(EventCode.SPOOL_TAIL_TRUNCATED, "spool",
                    "torn tail cut at start (power cut or crash during an append)",
                    "segment", tail.name().fileName(), "from", (long) scan.validEnd(), "to", (long) bytes.length));
            segments.set(segments.size() - 1, new Segment(tail.name(), kept.length));
        }
        long next = scan.records().isEmpty() ? tail.name().firstSequence()
                : scan.records().get(scan.records().size() - 1).record().sequence() + 1;
        if (scan.validEnd() == 0) {
            // Nothing of it survived: the next segment starts at the same sequence under a new name.
            storage.delete(path);
            segments.remove(segments.size() - 1);
        }
        return new Found(segments, next);
    }
}
