package io.waveos.bundles.json;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The strict JSON (RFC 8259) our files use: {@code events.jsonl}, {@code run_meta.json} and the
 * agent's state files. Pure and stateless; safe from any thread.
 *
 * <p>Values are {@code Map<String, Object>} (order kept), {@code List<Object>}, {@code String},
 * {@code Long} (also {@code Integer} when writing), finite {@code Double}, {@code Boolean} and
 * {@link Null#NULL}. The parser returns exactly these types, unmodifiable: integers (no fraction, no
 * exponent) as {@code Long}, other numbers as {@code Double}.
 *
 * <p>The parser reads UTF-8 bytes and rejects, with the byte offset: invalid UTF-8, raw control
 * characters in strings, unpaired surrogate escapes, duplicate keys, integers outside the range of
 * {@code long}, numbers that overflow a double, nesting deeper than {@value #MAX_DEPTH}, and
 * anything after the value other than whitespace.
 *
 * <p>Longer than our usual class: writer and parser are one codec, kept together so their rules
 * (escapes, number forms, depth) cannot drift apart; the parser is the nested {@code Parser}.
 */
public final class Json {

    /** Deepest nesting of objects and arrays that is written or parsed. */
    public static final int MAX_DEPTH = 64;

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern TIME_SHAPE =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** JSON {@code null}; the parser never returns a Java {@code null}. */
    public enum Null {
        NULL
    }

    /** Input that is not strict JSON; the message names the byte offset. */
    public static final class ParseException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int offset;

        ParseException(String what, int offset) {
            super(what + " at offset " + offset);
            this.offset = offset;
        }

        /** Byte offset into the input where the problem was found. */
        public int offset() {
            return offset;
        }
    }

    private Json() {
    }

    /**
     * An instant as our files write it: RFC 3339 in UTC with exactly three fraction digits
     * ({@code 2026-11-22T05:00:00.123Z}); sub-millisecond digits are truncated.
     */
    public static String time(Instant instant) {
        return TIME.format(instant);
    }

    /**
     * Parses the form {@link #time} writes, and only that form.
     *
     * @throws IllegalArgumentException naming the text when it has another shape or is no date
     */
    public static Instant parseTime(String text) {
        if (!TIME_SHAPE.matcher(text).matches()) {
            throw new IllegalArgumentException("\"" + text + "\" is not RFC 3339 UTC with milliseconds");
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not a valid date and time", e);
        }
    }

    /**
     * Compact JSON for {@code value}, without insignificant whitespace. Map keys are written in
     * the map's iteration order. An unpaired surrogate in a string has no UTF-8 form and is written
     * as U+FFFD.
     *
     * @throws IllegalArgumentException for unsupported types, non-String keys, NaN or infinite
     *     doubles, Java nulls, or nesting deeper than {@value #MAX_DEPTH}
     */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        writeValue(out, value, 0);
        return out.toString();
    }

    /** Parses one JSON value from UTF-8 bytes. */
    public static Object parse(byte[] utf8) throws ParseException {
        return new Parser(utf8).parseDocument();
    }

    /** Parses one JSON value from text (encoded as UTF-8 first, so offsets are byte offsets). */
    public static Object parse(String text) throws ParseException {
        return parse(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Parses a document whose top-level value must be an object. */
    public static Map<String, Object> parseObject(byte[] utf8) throws ParseException {
        Object v = parse(utf8);
        if (!(v instanceof Map)) {
            throw new ParseException("expected a JSON object, found " + typeName(v), 0);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) v;
        return m;
    }

    /** A JSON type name for a parsed value, for error messages ("object", "string", ...). */
    public static String typeName(Object v) {
        if (v instanceof Map) {
            return "an object";
        } else if (v instanceof List) {
            return "an array";
        } else if (v instanceof String) {
            return "a string";
        } else if (v instanceof Long) {
            return "an integer";
        } else if (v instanceof Double) {
            return "a number with a fraction or exponent";
        } else if (v instanceof Boolean) {
            return "a boolean";
        } else {
            return "null";
        }
    }

    // ---------------------------------------------------------------- writer

    private static void writeValue(StringBuilder out, Object v, int depth) {
        if (v == null) {
            throw new IllegalArgumentException("Java null is not a JSON value; use Json.Null.NULL");
        } else if (v instanceof String) {
            writeString(out, (String) v);
        } else if (v instanceof Long || v instanceof Integer) {
            out.append(v);
        } else if (v instanceof Double) {
            double d = (Double) v;
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("JSON has no form for the double " + d);
            }
            out.append(Double.toString(d));
        } else if (v instanceof Boolean) {
            out.append(v);
        } else if (v instanceof Null) {
            out.append("null");
        } else if (v instanceof Map) {
            writeObject(out, (Map<?, ?>) v, depth + 1);
        } else if (v instanceof List) {
            writeArray(out, (List<?>) v, depth + 1);
        } else {
            throw new IllegalArgumentException("no JSON form for " + v.getClass().getName());
        }
    }

    private static void writeObject(StringBuilder out, Map<?, ?> map, int depth) {
        checkWriteDepth(depth);
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String)) {
                throw new IllegalArgumentException("object key " + e.getKey() + " is not a String");
            }
            if (!first) {
                out.append(',');
            }
            first = false;
            writeString(out, (String) e.getKey());
            out.append(':');
            writeValue(out, e.getValue(), depth);
        }
        out.append('}');
    }

    private static void writeArray(StringBuilder out, List<?> list, int depth) {
        checkWriteDepth(depth);
        out.append('[');
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            writeValue(out, list.get(i), depth);
        }
        out.append(']');
    }

    private static void checkWriteDepth(int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("nesting deeper than " + MAX_DEPTH);
        }
    }

    private static void writeString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        out.append('\uFFFD');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    // ---------------------------------------------------------------- parser

    /** Recursive descent over bytes; recursion is bounded by {@link #MAX_DEPTH}. */
    private static final class Parser {
        private final byte[] in;
        private int pos;

        Parser(byte[] in) {
            this.in = in;
        }

        Object parseDocument() throws ParseException {
            skipWhitespace();
            Object v = parseValue(0);
            skipWhitespace();
            if (pos < in.length) {
                throw new ParseException("unexpected " + describe(pos) + " after the value", pos);
            }
            return v;
        }

        private Object parseValue(int depth) throws ParseException {
            if (pos >= in.length) {
                throw new ParseException("unexpected end of input, expected a value", pos);
            }
            int b = in[pos] & 0xFF;
            return switch (b) {
                case '{' -> parseObject(depth + 1);
                case '[' -> parseArray(depth + 1);
                case '"' -> parseString();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", Null.NULL);
                default -> {
                    if (b == '-' || (b >= '0' && b <= '9')) {
                        yield parseNumber();
                    }
                    throw new ParseException("unexpected " + describe(pos) + ", expected a value", pos);
                }
            };
        }

        private Map<String, Object> parseObject(int depth) throws ParseException {
            checkDepth(depth);
            pos++; // '{'
            LinkedHashMap<String, Object> map = new LinkedHashMap<>();
            skipWhitespace();
            if (peek() == '}') {
                pos++;
                return Collections.unmodifiableMap(map);
            }
            while (true) {
                skipWhitespace();
                if (peek() != '"') {
                    throw new ParseException("expected a string key, found " + describe(pos), pos);
                }
                int keyAt = pos;
                String key = parseString();
                skipWhitespace();
                expect(':', "after object key");
                skipWhitespace();
                Object value = parseValue(depth);
                if (map.putIfAbsent(key, value) != null) {
                    throw new ParseException("duplicate key \"" + key + "\"", keyAt);
                }
                skipWhitespace();
                if (peek() == ',') {
                    pos++;
                } else if (peek() == '}') {
                    pos++;
                    return Collections.unmodifiableMap(map);
                } else {
                    throw new ParseException("expected ',' or '}' in object, found " + describe(pos), pos);
                }
            }
        }

        private List<Object> parseArray(int depth) throws ParseException {
            checkDepth(depth);
            pos++; // '['
            ArrayList<Object> list = new ArrayList<>();
            skipWhitespace();
            if (peek() == ']') {
                pos++;
                return Collections.unmodifiableList(list);
            }
            while (true) {
                skipWhitespace();
                list.add(parseValue(depth));
                skipWhitespace();
                if (peek() == ',') {
                    pos++;
                } else if (peek() == ']') {
                    pos++;
                    return Collections.unmodifiableList(list);
                } else {
                    throw new ParseException("expected ',' or ']' in array, found " + describe(pos), pos);
                }
            }
        }

        private void checkDepth(int depth) throws ParseException {
            if (depth > MAX_DEPTH) {
                throw new ParseException("nesting deeper than " + MAX_DEPTH, pos);
            }
        }

        private String parseString() throws ParseException {
            int start = pos;
            pos++; // '"'
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (pos >= in.length) {
                    throw new ParseException("unterminated string starting", start);
                }
                int b = in[pos] & 0xFF;
                if (b == '"') {
                    pos++;
                    return sb.toString();
                } else if (b == '\\') {
                    parseEscape(sb);
                } else if (b < 0x20) {
                    throw new ParseException("raw control character 0x" + hex2(b) + " in string", pos);
                } else if (b < 0x80) {
                    sb.append((char) b);
                    pos++;
                } else {
                    sb.appendCodePoint(decodeUtf8());
                }
            }
        }

        private void parseEscape(StringBuilder sb) throws ParseException {
            int at = pos;
            pos++; // '\'
            if (pos >= in.length) {
                throw new ParseException("unterminated escape", at);
            }
            int e = in[pos++] & 0xFF;
            switch (e) {
                case '"' -> sb.append('"');
                case '\\' -> sb.append('\\');
                case '/' -> sb.append('/');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    char c = (char) hex4(at);
                    if (Character.isHighSurrogate(c)) {
                        if (pos + 1 < in.length && in[pos] == '\\' && in[pos + 1] == 'u') {
                            int lowAt = pos;
                            pos += 2;
                            char low = (char) hex4(lowAt);
                            if (!Character.isLowSurrogate(low)) {
                                throw new ParseException("high surrogate escape not followed by a low surrogate",
                                        at);
                            }
                            sb.append(c).append(low);
                        } else {
                            throw new ParseException("unpaired high surrogate escape", at);
                        }
                    } else if (Character.isLowSurrogate(c)) {
                        throw new ParseException("unpaired low surrogate escape", at);
                    } else {
                        sb.append(c);
                    }
                }
                default -> throw new ParseException("invalid escape character " + printable(e), at);
            }
        }

        private int hex4(int escapeAt) throws ParseException {
            if (pos + 4 > in.length) {
                throw new ParseException("truncated \\u escape", escapeAt);
            }
            int v = 0;
            for (int i = 0; i < 4; i++) {
                int d = Character.digit(in[pos + i] & 0xFF, 16);
                if (d < 0 || (in[pos + i] & 0xFF) >= 0x80) {
                    throw new ParseException("invalid hex digit in \\u escape", pos + i);
                }
                v = v * 16 + d;
            }
            pos += 4;
            return v;
        }

        /** Decodes one strict UTF-8 sequence (no overlongs, no surrogates, at most U+10FFFF). */
        private int decodeUtf8() throws ParseException {
            int start = pos;
            int b0 = in[pos] & 0xFF;
            int need;
            int cp;
            int lo = 0x80;
            int hi = 0xBF;
            if (b0 >= 0xC2 && b0 <= 0xDF) {
                need = 1;
                cp = b0 & 0x1F;
            } else if (b0 >= 0xE0 && b0 <= 0xEF) {
                need = 2;
                cp = b0 & 0x0F;
                if (b0 == 0xE0) {
                    lo = 0xA0;
                } else if (b0 == 0xED) {
                    hi = 0x9F;
                }
            } else if (b0 >= 0xF0 && b0 <= 0xF4) {
                need = 3;
                cp = b0 & 0x07;
                if (b0 == 0xF0) {
                    lo = 0x90;
                } else if (b0 == 0xF4) {
                    hi = 0x8F;
                }
            } else {
                throw new ParseException("invalid UTF-8 lead byte 0x" + hex2(b0), start);
            }
            pos++;
            for (int i = 0; i < need; i++) {
                if (pos >= in.length) {
                    throw new ParseException("truncated UTF-8 sequence", start);
                }
                int b = in[pos] & 0xFF;
                if (b < lo || b > hi) {
                    throw new ParseException("invalid UTF-8 continuation byte 0x" + hex2(b), pos);
                }
                lo = 0x80;
                hi = 0xBF;
                cp = (cp << 6) | (b & 0x3F);
                pos++;
            }
            return cp;
        }

        private Object parseNumber() throws ParseException {
            int start = pos;
            boolean integer = true;
            if (peek() == '-') {
                pos++;
            }
            if (peek() == '0') {
                pos++;
                if (isDigit(peek())) {
                    throw new ParseException("leading zero in number", start);
                }
            } else if (isDigit(peek())) {
                digits();
            } else {
                throw new ParseException("expected a digit in number, found " + describe(pos), pos);
            }
            if (peek() == '.') {
                integer = false;
                pos++;
                if (!isDigit(peek())) {
                    throw new ParseException("expected a digit after '.', found " + describe(pos), pos);
                }
                digits();
            }
            if (peek() == 'e' || peek() == 'E') {
                integer = false;
                pos++;
                if (peek() == '+' || peek() == '-') {
                    pos++;
                }
                if (!isDigit(peek())) {
                    throw new ParseException("expected a digit in exponent, found " + describe(pos), pos);
                }
                digits();
            }
            String text = new String(in, start, pos - start, StandardCharsets.US_ASCII);
            if (integer) {
                try {
                    return Long.parseLong(text);
                } catch (NumberFormatException e) {
                    throw new ParseException("integer " + text + " is outside the range of a long", start);
                }
            }
            double d = Double.parseDouble(text);
            if (!Double.isFinite(d)) {
                throw new ParseException("number " + text + " overflows a double", start);
            }
            return d;
        }

        private void digits() {
            while (isDigit(peek())) {
                pos++;
            }
        }

        private static boolean isDigit(int b) {
            return b >= '0' && b <= '9';
        }

        private Object literal(String word, Object value) throws ParseException {
            byte[] w = word.getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < w.length; i++) {
                if (pos + i >= in.length || in[pos + i] != w[i]) {
                    throw new ParseException("invalid literal, expected " + word, pos);
                }
            }
            pos += w.length;
            return value;
        }

        private void expect(char c, String where) throws ParseException {
            if (peek() != c) {
                throw new ParseException("expected '" + c + "' " + where + ", found " + describe(pos), pos);
            }
            pos++;
        }

        /** The byte at the cursor, or -1 at the end. */
        private int peek() {
            return pos < in.length ? in[pos] & 0xFF : -1;
        }

        private void skipWhitespace() {
            while (pos < in.length) {
                byte b = in[pos];
                if (b == ' ' || b == '\t' || b == '\n' || b == '\r') {
                    pos++;
                } else {
                    return;
                }
            }
        }

        private String describe(int at) {
            if (at >= in.length) {
                return "end of input";
            }
            return printable(in[at] & 0xFF);
        }

        private static String printable(int b) {
            if (b >= 0x21 && b < 0x7F) {
                return "'" + (char) b + "'";
            }
            return "byte 0x" + hex2(b);
        }

        private static String hex2(int b) {
            return "" + HEX[(b >> 4) & 0xF] + HEX[b & 0xF];
        }
    }
}
