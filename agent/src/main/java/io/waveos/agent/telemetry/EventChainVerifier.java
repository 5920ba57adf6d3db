package io.waveos.agent.telemetry;

import io.waveos.bundles.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks an {@code events.jsonl} written by {@link EventLog}: every line is a JSON object with
 * {@code seq} (integer), {@code time} (RFC 3339 UTC with milliseconds), {@code code}, {@code subject},
 * {@code reason} (strings), {@code fields} (object) and {@code prev} (64 lowercase hex digits);
 * {@code seq} counts 1, 2, 3, ...; each {@code prev} is the SHA-256 of the previous line's bytes
 * (64 zeros on line 1). Extra keys are allowed.
 *
 * <p>A change to any line but the last breaks the chain at that line or the next one. The last line
 * is protected only once a later line, or a hash kept elsewhere, covers it. Pure; safe from any
 * thread.
 */
public final class EventChainVerifier {

    private static final List<String> STRING_KEYS = List.of("code", "subject", "reason");

    /** What the verifier found. */
    public sealed interface Result permits Valid, Broken {
    }

    /** Every line checked out; {@code lines} may be 0 for an empty file. */
    public record Valid(int lines) implements Result {
        public Valid {
            if (lines < 0) {
                throw new IllegalArgumentException("lines must be >= 0: " + lines);
            }
        }
    }

    /**
     * The first problem, on 1-based {@code line}.
     *
     * @param what a sentence for an operator that starts with the line, e.g.
     *     {@code line 7: prev does not match the SHA-256 of line 6}
     */
    public record Broken(int line, String what) implements Result {
        public Broken {
            if (line < 1) {
                throw new IllegalArgumentException("line must be >= 1: " + line);
            }
            Objects.requireNonNull(what, "what");
        }
    }

    private EventChainVerifier() {
    }

    /** Verifies the exact bytes of a file. */
    public static Result verify(byte[] content) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
        String expectedPrev = EventLog.GENESIS_PREV;
        int line = 0;
        int start = 0;
        while (start < content.length) {
            line++;
            int end = indexOf(content, (byte) '\n', start);
            if (end < 0) {
                return new Broken(line, "line " + line
                        + " is incomplete (no newline): likely a power cut during write");
            }
            byte[] bytes = Arrays.copyOfRange(content, start, end);
            Optional<String> problem = check(bytes, line, expectedPrev);
            if (problem.isPresent()) {
                return new Broken(line, "line " + line + ": " + problem.get());
            }
            expectedPrev = HexFormat.of().formatHex(sha256.digest(bytes));
            start = end + 1;
        }
        return new Valid(line);
    }

    /** Verifies text, encoded as UTF-8. */
    public static Result verify(String text) {
        return verify(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The problem with one line, if any. */
    private static Optional<String> check(byte[] bytes, int line, String expectedPrev) {
        Map<String, Object> obj;
        try {
            obj = Json.parseObject(bytes);
        } catch (Json.ParseException e) {
            return Optional.of("not JSON: " + e.getMessage());
        }
        Object seq = obj.get("seq");
        if (seq == null) {
            return Optional.of("missing key \"seq\"");
        } else if (!(seq instanceof Long)) {
            return Optional.of("seq is " + Json.typeName(seq) + ", expected an integer");
        }
        Object time = obj.get("time");
        if (time == null) {
            return Optional.of("missing key \"time\"");
        } else if (!(time instanceof String)) {
            return Optional.of("time is " + Json.typeName(time) + ", expected a string");
        }
        try {
            Json.parseTime((String) time);
        } catch (IllegalArgumentException e) {
            return Optional.of("time " + e.getMessage());
        }
        for (String key : STRING_KEYS) {
            Object v = obj.get(key);
            if (v == null) {
                return Optional.of("missing key \"" + key + "\"");
            } else if (!(v instanceof String)) {
                return Optional.of(key + " is " + Json.typeName(v) + ", expected a string");
            }
        }
        Object fields = obj.get("fields");
        if (fields == null) {
            return Optional.of("missing key \"fields\"");
        } else if (!(fields instanceof Map)) {
            return Optional.of("fields is " + Json.typeName(fields) + ", expected an object");
        }
        Object prev = obj.get("prev");
        if (prev == null) {
            return Optional.of("missing key \"prev\"");
        } else if (!(prev instanceof String) || !((String) prev).matches("[0-9a-f]{64}")) {
            return Optional.of("prev is not 64 lowercase hex digits");
        }
        if ((Long) seq != line) {
            return Optional.of("seq is " + seq + ", expected " + line);
        }
        if (!prev.equals(expectedPrev)) {
            return Optional.of(line == 1
                    ? "prev is not 64 zeros, so this is not the start of a chain"
                    : "prev does not match the SHA-256 of line " + (line - 1));
        }
        return Optional.empty();
    }

    private static int indexOf(byte[] a, byte b, int from) {
        for (int i = from; i < a.length; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
