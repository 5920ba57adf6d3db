package io.waveos.agent.spool;

import io.waveos.agent.platform.Storage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Ranges of the spool as text, for people and evidence packs: one line per record,
 * {@code WALLTIME SERVICE STREAM SEQ[+|~] | TEXT}, where {@code +} marks a piece of a longer line
 * and {@code ~} a line cut short by the end of its stream. Bytes that are not UTF-8 become U+FFFD.
 */
public final class SpoolExport {
    private SpoolExport() {
    }

    /** One record as a text line, with its newline. */
    public static String line(SpoolRecord r) {
        Instant wall = Instant.ofEpochSecond(Math.floorDiv(r.wallMicros(), 1_000_000L),
                Math.floorMod(r.wallMicros(), 1_000_000L) * 1000);
        String mark = (r.flags() & SpoolRecord.TRUNCATED) != 0 ? "+" : (r.flags() & SpoolRecord.PARTIAL) != 0 ? "~" : "";
        return wall + " " + r.service() + " " + r.stream().wire() + " " + r.sequence() + mark + " | " + r.text() + "\n";
    }

    /**
     * The newest records of one service and stream (empty stream: all of the service's streams), as
     * text of at most about {@code maxBytes}: whole lines, the newest last.
     */
    public static byte[] tail(Storage storage, Path dir, String service, Optional<Stream> stream, long maxBytes)
            throws IOException {
        SpoolReader reader = new SpoolReader(storage, dir);
        List<SegmentName> segments = new ArrayList<>(reader.segments());
        Collections.reverse(segments);
        List<String> newestFirst = new ArrayList<>();
        long bytes = 0;
        for (SegmentName name : segments) {
            byte[] content = storage.read(dir.resolve(name.fileName())).orElse(new byte[0]);
            List<SegmentScan.Located> records = new ArrayList<>(SegmentScan.of(content).records());
            Collections.reverse(records);
            for (SegmentScan.Located l : records) {
                SpoolRecord r = l.record();
                if (!r.service().equals(service) || stream.map(s -> s != r.stream()).orElse(false)) {
                    continue;
                }
                String text = line(r);
                long size = text.getBytes(StandardCharsets.UTF_8).length;
                if (bytes + size > maxBytes) {
                    return join(newestFirst);
                }
                newestFirst.add(text);
                bytes += size;
            }
        }
        return join(newestFirst);
    }

    private static byte[] join(List<String> newestFirst) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            out.writeBytes(newestFirst.get(i).getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }
}
