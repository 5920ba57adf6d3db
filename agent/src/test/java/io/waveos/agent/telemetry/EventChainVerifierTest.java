package io.waveos.agent.telemetry;

import io.waveos.bundles.json.Json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.waveos.agent.platform.fake.FakeStorage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventChainVerifierTest {

    private static final Path FILE = Path.of("/logs/events.jsonl");
    private static final String ZEROS = "0".repeat(64);

    @Test
    void anEmptyFileIsAValidChainOfNoLines() {
        assertEquals(new EventChainVerifier.Valid(0), EventChainVerifier.verify(new byte[0]));
    }

    @Test
    void aChainWrittenByTheLogIsValid() throws Exception {
        assertEquals(new EventChainVerifier.Valid(3), EventChainVerifier.verify(String.join("", chain(3))));
    }

    @Test
    void aFinalLineWithoutNewlineIsReportedAsAPowerCutDuringWrite() throws Exception {
        List<String> lines = chain(3);
        String cut = lines.get(0) + lines.get(1) + lines.get(2).substring(0, 40);

        assertEquals(new EventChainVerifier.Broken(3,
                "line 3 is incomplete (no newline): likely a power cut during write"), EventChainVerifier.verify(cut));
    }

    @Test
    void aCompleteLastLineThatOnlyLacksItsNewlineIsStillIncomplete() throws Exception {
        List<String> lines = chain(2);
        String cut = lines.get(0) + lines.get(1).stripTrailing();

        assertEquals(new EventChainVerifier.Broken(2,
                "line 2 is incomplete (no newline): likely a power cut during write"), EventChainVerifier.verify(cut));
    }

    @Test
    void aLineThatIsNotJsonIsReportedWithTheParsersOffset() throws Exception {
        List<String> lines = new ArrayList<>(chain(3));
        lines.set(2, "{\"seq\":3,,\"x\":1}\n");

        assertEquals(new EventChainVerifier.Broken(3,
                "line 3: not JSON: expected a string key, found ',' at offset 9"),
                EventChainVerifier.verify(String.join("", lines)));
    }

    @Test
    void aBlankLineIsNotJson() throws Exception {
        List<String> lines = new ArrayList<>(chain(2));
        lines.add(1, "\n");

        assertEquals(new EventChainVerifier.Broken(2,
                "line 2: not JSON: unexpected end of input, expected a value at offset 0"),
                EventChainVerifier.verify(String.join("", lines)));
    }

    @Test
    void aLineThatIsNotAnObjectIsRejected() {
        assertEquals(new EventChainVerifier.Broken(1,
                "line 1: not JSON: expected a JSON object, found an array at offset 0"),
                EventChainVerifier.verify("[1,2]\n"));
    }

    @Test
    void eachRequiredKeyMustBePresent() {
        String full = "{\"seq\":1,\"time\":\"2026-11-22T05:00:00.000Z\",\"code\":\"agent.started\","
                + "\"subject\":\"agent\",\"reason\":\"r\",\"fields\":{},\"prev\":\"" + ZEROS + "\"}";
        assertEquals(new EventChainVerifier.Valid(1), EventChainVerifier.verify(full + "\n"));

        for (String key : List.of("seq", "time", "code", "subject", "reason", "fields", "prev")) {
            String without = full.replaceFirst("\"" + key + "\":(\\{\\}|\"[^\"]*\"|\\d+),?", "")
                    .replace(",}", "}");

            assertEquals(new EventChainVerifier.Broken(1, "line 1: missing key \"" + key + "\""),
                    EventChainVerifier.verify(without + "\n"), key);
        }
    }

    @Test
    void keysMustHaveTheirTypes() {
        assertEquals(new EventChainVerifier.Broken(1, "line 1: seq is a string, expected an integer"),
                EventChainVerifier.verify(line("\"1\"", "\"2026-11-22T05:00:00.000Z\"", "\"r\"", "{}", ZEROS)));
        assertEquals(new EventChainVerifier.Broken(1, "line 1: seq is a number with a fraction or exponent, expected an integer"),
                EventChainVerifier.verify(line("1.0", "\"2026-11-22T05:00:00.000Z\"", "\"r\"", "{}", ZEROS)));
        assertEquals(new EventChainVerifier.Broken(1, "line 1: time is an integer, expected a string"),
                EventChainVerifier.verify(line("1", "5", "\"r\"", "{}", ZEROS)));
        assertEquals(new EventChainVerifier.Broken(1, "line 1: reason is null, expected a string"),
                EventChainVerifier.verify(line("1", "\"2026-11-22T05:00:00.000Z\"", "null", "{}", ZEROS)));
        assertEquals(new EventChainVerifier.Broken(1, "line 1: fields is an array, expected an object"),
                EventChainVerifier.verify(line("1", "\"2026-11-22T05:00:00.000Z\"", "\"r\"", "[]", ZEROS)));
    }

    @Test
    void timeMustBeRfc3339UtcWithMilliseconds() {
        assertEquals(new EventChainVerifier.Broken(1,
                "line 1: time \"2026-11-22T05:00:00Z\" is not RFC 3339 UTC with milliseconds"),
                EventChainVerifier.verify(line("1", "\"2026-11-22T05:00:00Z\"", "\"r\"", "{}", ZEROS)));
    }

    @Test
    void prevMustBe64LowercaseHexDigits() {
        assertEquals(new EventChainVerifier.Broken(1, "line 1: prev is not 64 lowercase hex digits"),
                EventChainVerifier.verify(line("1", "\"2026-11-22T05:00:00.000Z\"", "\"r\"", "{}",
                        "0".repeat(63))));
        assertEquals(new EventChainVerifier.Broken(1, "line 1: prev is not 64 lowercase hex digits"),
                EventChainVerifier.verify(line("1", "\"2026-11-22T05:00:00.000Z\"", "\"r\"", "{}",
                        "A".repeat(64))));
    }

    @Test
    void theFirstLineMustStartTheChain() {
        assertEquals(new EventChainVerifier.Broken(1,
                "line 1: prev is not 64 zeros, so this is not the start of a chain"),
                EventChainVerifier.verify(line("1", "\"2026-11-22T05:00:00.000Z\"", "\"r\"", "{}",
                        "a".repeat(64))));
    }

    @Test
    void sequenceNumbersMustStartAtOne() {
        assertEquals(new EventChainVerifier.Broken(1, "line 1: seq is 0, expected 1"),
                EventChainVerifier.verify(line("0", "\"2026-11-22T05:00:00.000Z\"", "\"r\"", "{}", ZEROS)));
    }

    @Test
    void linesInTheWrongOrderAreReported() throws Exception {
        List<String> lines = chain(3);

        assertEquals(new EventChainVerifier.Broken(2, "line 2: seq is 3, expected 2"),
                EventChainVerifier.verify(lines.get(0) + lines.get(2) + lines.get(1)));
    }

    @Test
    void aChangedByteInAMiddleLineBreaksTheNextLinesPrev() throws Exception {
        List<String> lines = new ArrayList<>(chain(3));
        lines.set(1, lines.get(1).replace("reason 2", "reason X"));

        assertEquals(new EventChainVerifier.Broken(3, "line 3: prev does not match the SHA-256 of line 2"),
                EventChainVerifier.verify(String.join("", lines)));
    }

    @Test
    void onlyTheFirstBreakIsReported() throws Exception {
        List<String> lines = new ArrayList<>(chain(5));
        lines.set(1, lines.get(1).replace("reason 2", "reason X"));
        lines.set(3, "garbage\n");

        assertEquals(3, ((EventChainVerifier.Broken) EventChainVerifier.verify(String.join("", lines))).line());
    }

    @Test
    void extraKeysAreAllowedSoNewerWritersStayVerifiable() {
        String line = "{\"seq\":1,\"time\":\"2026-11-22T05:00:00.000Z\",\"code\":\"c\",\"subject\":\"s\","
                + "\"reason\":\"r\",\"fields\":{},\"prev\":\"" + ZEROS + "\",\"host\":\"x\"}\n";

        assertEquals(new EventChainVerifier.Valid(1), EventChainVerifier.verify(line));
    }

    /** Lines, each with its newline, written by an {@link EventLog}. */
    private static List<String> chain(int count) throws Exception {
        FakeStorage storage = new FakeStorage();
        Instant t = Instant.parse("2026-11-22T05:00:00Z");
        EventLog log = new EventLog(storage, FILE, () -> t, message -> { });
        for (int i = 1; i <= count; i++) {
            log.emit(Event.of(EventCode.SERVICE_EXITED, "svc", "reason " + i));
        }
        String text = new String(storage.read(FILE).orElseThrow(), StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>();
        for (String l : text.split("(?<=\n)")) {
            lines.add(l);
        }
        assertEquals(count, lines.size());
        return lines;
    }

    private static String line(String seq, String time, String reason, String fields, String prev) {
        return "{\"seq\":" + seq + ",\"time\":" + time + ",\"code\":\"c\",\"subject\":\"s\",\"reason\":" + reason
                + ",\"fields\":" + fields + ",\"prev\":\"" + prev + "\"}\n";
    }
}
