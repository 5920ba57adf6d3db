package io.waveos.bundles.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonTest {

    @Test
    void writesObjectsWithKeysInInsertionOrderAndNoWhitespace() {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        m.put("z", 1L);
        m.put("a", List.of(true, false, 2, -3.5, Json.Null.NULL));
        m.put("m", Map.of());

        assertEquals("{\"z\":1,\"a\":[true,false,2,-3.5,null],\"m\":{}}", Json.write(m));
    }

    @Test
    void escapesQuotesBackslashesAndEveryControlCharacter() {
        assertEquals("\"a\\\"b\\\\c/d\"", Json.write("a\"b\\c/d"));
        assertEquals("\"\\b\\f\\n\\r\\t\"", Json.write("\b\f\n\r\t"));
        assertEquals("\"\\u0000\\u0001\\u001f \u007f\"", Json.write("\u0000\u0001\u001f \u007f"));
    }

    @Test
    void keepsNonAsciiCharactersAsUtf8() {
        String s = "caf\u00e9 \u65e5\u672c \ud83d\ude00";

        String json = Json.write(s);

        assertEquals("\"" + s + "\"", json);
        assertEquals("22636166c3a920e697a5e69cac20f09f988022",
                HexFormat.of().formatHex(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void writesAnUnpairedSurrogateAsTheReplacementCharacter() {
        assertEquals("\"a\ufffdb\ufffd\"", Json.write("a\ud800b\udc00"));
    }

    @Test
    void refusesValuesJsonCannotHold() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of(1, "x")));
        List<Object> withNull = new ArrayList<>();
        withNull.add(null);
        assertThrows(IllegalArgumentException.class, () -> Json.write(withNull));
    }

    @Test
    void refusesToWriteNestingDeeperThanTheLimit() {
        assertEquals(Json.MAX_DEPTH * 2, Json.write(nestedLists(Json.MAX_DEPTH)).length());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Json.write(nestedLists(Json.MAX_DEPTH + 1)));
        assertTrue(e.getMessage().contains("deeper than 64"), e.getMessage());
    }

    @Test
    void parsesEveryValueTypeIntoOurJavaTypes() throws Exception {
        Object v = Json.parse(" {\"s\":\"x\",\"i\":-12,\"d\":1.5e3,\"t\":true,\"f\":false,\"n\":null,"
                + "\"a\":[1,[]],\"o\":{}} ");

        LinkedHashMap<String, Object> expected = new LinkedHashMap<>();
        expected.put("s", "x");
        expected.put("i", -12L);
        expected.put("d", 1500.0);
        expected.put("t", true);
        expected.put("f", false);
        expected.put("n", Json.Null.NULL);
        expected.put("a", List.of(1L, List.of()));
        expected.put("o", Map.of());
        assertEquals(expected, v);
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(((Map<?, ?>) v).keySet()));
    }

    @Test
    void parsedCollectionsCannotBeModified() throws Exception {
        Map<String, Object> m = Json.parseObject(bytes("{\"a\":[1]}"));

        assertThrows(UnsupportedOperationException.class, () -> m.put("b", 2L));
        assertThrows(UnsupportedOperationException.class, () -> ((List<?>) m.get("a")).clear());
    }

    @Test
    void parsesEscapesIncludingSurrogatePairs() throws Exception {
        assertEquals("\"\\/\b\f\n\r\t\u00e9\ud83d\ude00",
                Json.parse("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00E9\\ud83d\\uDE00\""));
    }

    @Test
    void parsesIntegersAtTheLimitsOfLong() throws Exception {
        assertEquals(Long.MAX_VALUE, Json.parse("9223372036854775807"));
        assertEquals(Long.MIN_VALUE, Json.parse("-9223372036854775808"));
        assertEquals(0L, Json.parse("-0"));
    }

    @Test
    void parsesNestingUpToTheLimit() throws Exception {
        String deep = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);

        assertEquals(nestedLists(Json.MAX_DEPTH), Json.parse(deep));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "``                          | unexpected end of input, expected a value at offset 0",
        "`   `                       | unexpected end of input, expected a value at offset 3",
        "{} x                        | unexpected 'x' after the value at offset 3",
        "{}{}                        | unexpected '{' after the value at offset 2",
        "[1,]                        | unexpected ']', expected a value at offset 3",
        "{\"a\":1,}                  | expected a string key, found '}' at offset 7",
        "{\"a\" 1}                   | expected ':' after object key, found '1' at offset 5",
        "{\"a\":1 \"b\":2}           | expected ',' or '}' in object, found '\"' at offset 7",
        "[1 2]                       | expected ',' or ']' in array, found '2' at offset 3",
        "{'a':1}                     | expected a string key, found ''' at offset 1",
        "{a:1}                       | expected a string key, found 'a' at offset 1",
        "{\"a\":1,\"a\":2}           | duplicate key \"a\" at offset 7",
        "\"abc                       | unterminated string starting at offset 0",
        "\"\\x\"                     | invalid escape character 'x' at offset 1",
        "\"\\u12zz\"                 | invalid hex digit in \\u escape at offset 5",
        "\"\\u12                     | truncated \\u escape at offset 1",
        "\"\\ud800\"                 | unpaired high surrogate escape at offset 1",
        "\"\\ud800\\u0041\"          | high surrogate escape not followed by a low surrogate at offset 1",
        "\"\\udc00\"                 | unpaired low surrogate escape at offset 1",
        "01                          | leading zero in number at offset 0",
        "-                           | expected a digit in number, found end of input at offset 1",
        "-a                          | expected a digit in number, found 'a' at offset 1",
        "1.                          | expected a digit after '.', found end of input at offset 2",
        ".5                          | unexpected '.', expected a value at offset 0",
        "+1                          | unexpected '+', expected a value at offset 0",
        "1e                          | expected a digit in exponent, found end of input at offset 2",
        "9223372036854775808         | integer 9223372036854775808 is outside the range of a long at offset 0",
        "1e400                       | number 1e400 overflows a double at offset 0",
        "NaN                         | unexpected 'N', expected a value at offset 0",
        "tru                         | invalid literal, expected true at offset 0",
        "nul                         | invalid literal, expected null at offset 0",
        "[true false]                | expected ',' or ']' in array, found 'f' at offset 6",
        "/* c */ 1                   | unexpected '/', expected a value at offset 0",
    })
    void rejectsMalformedTextNamingTheByteOffset(String input, String message) {
        Json.ParseException e = assertThrows(Json.ParseException.class, () -> Json.parse(input));

        assertEquals(message, e.getMessage());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "22 01 22             | raw control character 0x01 in string at offset 1",
        "22 0a 22             | raw control character 0x0a in string at offset 1",
        "22 c0 80 22          | invalid UTF-8 lead byte 0xc0 at offset 1",
        "22 80 22             | invalid UTF-8 lead byte 0x80 at offset 1",
        "22 e2 82 22          | invalid UTF-8 continuation byte 0x22 at offset 3",
        "22 e0 80 80 22       | invalid UTF-8 continuation byte 0x80 at offset 2",
        "22 ed a0 80 22       | invalid UTF-8 continuation byte 0xa0 at offset 2",
        "22 f4 90 80 80 22    | invalid UTF-8 continuation byte 0x90 at offset 2",
        "22 f5 80 80 80 22    | invalid UTF-8 lead byte 0xf5 at offset 1",
        "22 e2 82             | truncated UTF-8 sequence at offset 1",
        "ef bb bf 31          | unexpected byte 0xef, expected a value at offset 0",
        "31 00                | unexpected byte 0x00 after the value at offset 1",
        "22 5c 75 ef bc 91 32 33 34 22 | invalid hex digit in \\u escape at offset 3",
    })
    void rejectsMalformedBytesNamingTheByteOffset(String hex, String message) {
        byte[] input = HexFormat.of().parseHex(hex.replace(" ", ""));

        Json.ParseException e = assertThrows(Json.ParseException.class, () -> Json.parse(input));

        assertEquals(message, e.getMessage());
    }

    @Test
    void acceptsValidMultiByteUtf8AtTheEdgesOfEachRange() throws Exception {
        byte[] input = HexFormat.of().parseHex("22" + "c280" + "dfbf" + "e0a080" + "ed9fbf" + "ee8080"
                + "efbfbf" + "f0908080" + "f48fbfbf" + "22");

        assertEquals("\u0080\u07ff\u0800\ud7ff\ue000\uffff\ud800\udc00\udbff\udfff", Json.parse(input));
    }

    @Test
    void rejectsNestingDeeperThanTheLimit() {
        String tooDeep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
        String hostile = "{\"a\":".repeat(100_000);

        Json.ParseException e = assertThrows(Json.ParseException.class, () -> Json.parse(tooDeep));
        assertEquals("nesting deeper than 64 at offset 64", e.getMessage());
        assertThrows(Json.ParseException.class, () -> Json.parse(hostile));
    }

    @Test
    void parseObjectRejectsOtherTopLevelValues() {
        Json.ParseException e = assertThrows(Json.ParseException.class, () -> Json.parseObject(bytes("[1]")));

        assertEquals("expected a JSON object, found an array at offset 0", e.getMessage());
        assertEquals(0, e.offset());
    }

    @Test
    void whatIsWrittenParsesBackToTheSameValue() throws Exception {
        Random random = new Random(20261122);
        for (int i = 0; i < 2_000; i++) {
            Object value = randomValue(random, 0);

            assertEquals(value, Json.parse(Json.write(value)), () -> "round trip of " + Json.write(value));
        }
    }

    @Test
    void corruptedInputEitherParsesOrFailsWithAParseException() {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            byte[] input = Json.write(randomValue(random, 0)).getBytes(StandardCharsets.UTF_8);
            int flips = 1 + random.nextInt(3);
            for (int f = 0; f < flips && input.length > 0; f++) {
                input[random.nextInt(input.length)] = (byte) random.nextInt(256);
            }
            try {
                Json.parse(input);
            } catch (Json.ParseException expected) {
                assertTrue(expected.offset() >= 0 && expected.offset() <= input.length, expected.getMessage());
            } catch (RuntimeException e) {
                fail("parser threw " + e + " for " + HexFormat.of().formatHex(input));
            }
        }
    }

    @Test
    void timeIsRfc3339UtcWithExactlyThreeFractionDigits() {
        assertEquals("2026-11-22T05:00:00.000Z", Json.time(Instant.parse("2026-11-22T05:00:00Z")));
        assertEquals("2026-11-22T05:00:00.123Z", Json.time(Instant.parse("2026-11-22T05:00:00.123999999Z")));
        assertEquals(Instant.parse("2026-11-22T05:00:00.120Z"), Json.parseTime("2026-11-22T05:00:00.120Z"));
    }

    @Test
    void parseTimeAcceptsOnlyTheFormWeWrite() {
        for (String bad : List.of("2026-11-22T05:00:00Z", "2026-11-22T05:00:00.1234Z",
                "2026-11-22T05:00:00.123+01:00", "2026-11-22 05:00:00.123Z", "2026-02-30T05:00:00.123Z",
                "2026-11-22T25:00:00.123Z")) {
            assertThrows(IllegalArgumentException.class, () -> Json.parseTime(bad), bad);
        }
    }

    private static Object nestedLists(int depth) {
        Object v = List.of();
        for (int i = 1; i < depth; i++) {
            v = List.of(v);
        }
        return v;
    }

    private static Object randomValue(Random random, int depth) {
        int kind = random.nextInt(depth < 4 ? 8 : 6);
        switch (kind) {
            case 0:
                return random.nextLong();
            case 1:
                return random.nextDouble() * Math.pow(10, random.nextInt(40) - 20);
            case 2:
                return random.nextBoolean();
            case 3:
                return Json.Null.NULL;
            case 4:
            case 5:
                return randomString(random);
            case 6: {
                List<Object> list = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    list.add(randomValue(random, depth + 1));
                }
                return list;
            }
            default: {
                LinkedHashMap<String, Object> map = new LinkedHashMap<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    map.put(randomString(random), randomValue(random, depth + 1));
                }
                return map;
            }
        }
    }

    private static String randomString(Random random) {
        StringBuilder sb = new StringBuilder();
        for (int i = random.nextInt(8); i > 0; i--) {
            switch (random.nextInt(4)) {
                case 0 -> sb.append((char) random.nextInt(0x20));
                case 1 -> sb.append((char) (0x20 + random.nextInt(0x5f)));
                case 2 -> sb.append((char) (0xa0 + random.nextInt(0xd000)));
                default -> sb.appendCodePoint(0x10000 + random.nextInt(0x100000));
            }
        }
        return sb.toString();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
