package io.waveos.agent.spool;

import io.waveos.bundles.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a {@link Forwarder} sends records. {@link #send} returns only once the target has taken the
 * whole batch (the acknowledgement); any failure throws and the batch is sent again later, so a
 * target must tolerate duplicates (at-least-once).
 */
public interface ForwardTarget {
    /** A short name for events and the cursor file ({@code [a-z0-9_-]+}). */
    String name();

    void send(List<SpoolRecord> batch) throws IOException;

    /**
     * The JSON line of a record: {@code {"seq":N,"time":"ISO-8601","mono_ns":N,"service":S,
     * "stream":"stdout|stderr|agent","flags":N,"line":TEXT}}; bytes that are not UTF-8 become U+FFFD.
     */
    static String jsonLine(SpoolRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", r.sequence());
        m.put("time", Json.time(Instant.ofEpochSecond(Math.floorDiv(r.wallMicros(), 1_000_000L),
                Math.floorMod(r.wallMicros(), 1_000_000L) * 1000)));
        m.put("mono_ns", r.monotonicNanos());
        m.put("service", r.service());
        m.put("stream", r.stream().wire());
        m.put("flags", (long) r.flags());
        m.put("line", r.text());
        return Json.write(m);
    }

    /** A batch as JSON lines, each ended by a newline. */
    static byte[] jsonLines(List<SpoolRecord> batch) {
        StringBuilder b = new StringBuilder();
        for (SpoolRecord r : batch) {
            b.append(jsonLine(r)).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }
}
