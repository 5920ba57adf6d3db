package io.waveos.agent.evidence;

import io.waveos.bundles.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The proof of a run of consecutive lines of an {@code events.jsonl}: the first line's {@code seq}
 * and {@code prev}, the last line's {@code seq} and the SHA-256 of the last line. Inside the run each
 * {@code prev} must be the SHA-256 of the line before; the signed proof anchors both ends, so a line
 * changed, removed, added or reordered anywhere, the last one included, is detected. A run starting at
 * {@code seq} 1 has 64 zeros as its first {@code prev}. Pure.
 */
public record EventSegment(int lines, long firstSeq, long lastSeq, String firstPrev, String lastLineSha256) {

    static final String ZEROS = "0".repeat(64);

    /** The proof of the lines of {@code events} (whole lines, each ending with a newline). */
    public static EventSegment of(byte[] events) {
        List<byte[]> lines = lines(events);
        if (lines.isEmpty()) {
            return new EventSegment(0, 0, 0, ZEROS, ZEROS);
        }
        Map<String, Object> first = parse(lines.get(0)).orElse(Map.of());
        Map<String, Object> last = parse(lines.get(lines.size() - 1)).orElse(Map.of());
        return new EventSegment(lines.size(), seq(first), seq(last),
                first.get("prev") instanceof String p ? p : "", sha256(lines.get(lines.size() - 1)));
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("member", PackFormat.EVENTS);
        m.put("lines", (long) lines);
        m.put("first_seq", firstSeq);
        m.put("last_seq", lastSeq);
        m.put("first_prev", firstPrev);
        m.put("last_line_sha256", lastLineSha256);
        m.put("from_genesis", lines > 0 && firstSeq == 1);
        return m;
    }

    /** Reads the manifest's {@code events} object; empty when it is not one this format writes. */
    static Optional<EventSegment> fromJson(Object o) {
        if (!(o instanceof Map<?, ?> m) || !(m.get("lines") instanceof Long lines)
                || !(m.get("first_seq") instanceof Long first) || !(m.get("last_seq") instanceof Long last)
                || !(m.get("first_prev") instanceof String prev) || !(m.get("last_line_sha256") instanceof String sha)) {
            return Optional.empty();
        }
        return Optional.of(new EventSegment((int) (long) lines, first, last, prev, sha));
    }

    /** The first way {@code events} does not match this proof, as "line N: what"; empty when it matches. */
    public Optional<String> check(byte[] events) {
        if (events.length > 0 && events[events.length - 1] != '\n') {
            return Optional.of("the last line has no newline");
        }
        List<byte[]> all = lines(events);
        if (all.size() != lines) {
            return Optional.of("holds " + all.size() + " lines, the signed proof says " + lines);
        }
        if (lines == 0) {
            return Optional.empty();
        }
        if (firstSeq == 1 && !firstPrev.equals(ZEROS)) {
            return Optional.of("line 1: seq 1 but prev is not 64 zeros");
        }
        String expectedPrev = firstPrev;
        for (int i = 0; i < all.size(); i++) {
            Optional<Map<String, Object>> obj = parse(all.get(i));
            if (obj.isEmpty()) {
                return Optional.of("line " + (i + 1) + ": not a JSON object");
            }
            if (seq(obj.get()) != firstSeq + i) {
                return Optional.of("line " + (i + 1) + ": seq is " + obj.get().get("seq") + ", expected " + (firstSeq + i));
            }
            if (!expectedPrev.equals(obj.get().get("prev"))) {
                return Optional.of("line " + (i + 1) + ": prev does not match the SHA-256 of the line before"
                        + (i == 0 ? " (the signed first_prev)" : ""));
            }
            expectedPrev = sha256(all.get(i));
        }
        if (!expectedPrev.equals(lastLineSha256)) {
            return Optional.of("line " + lines + ": its SHA-256 does not match the signed last_line_sha256");
        }
        if (firstSeq + lines - 1 != lastSeq) {
            return Optional.of("the signed last_seq " + lastSeq + " does not match the lines");
        }
        return Optional.empty();
    }

    private static long seq(Map<String, Object> line) {
        return line.get("seq") instanceof Long l ? l : -1;
    }

    private static Optional<Map<String, Object>> parse(byte[] line) {
        try {
            return Optional.of(Json.parseObject(line));
        } catch (Json.ParseException e) {
            return Optional.empty();
        }
    }

    /** The lines without their newlines; a trailing fragment without newline is left out. */
    static List<byte[]> lines(byte[] text) {
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length; i++) {
            if (text[i] == '\n') {
                out.add(java.util.Arrays.copyOfRange(text, start, i));
                start = i + 1;
            }
        }
        return out;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }

    static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }
}
