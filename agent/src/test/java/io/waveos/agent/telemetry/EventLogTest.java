package io.waveos.agent.telemetry;

import io.waveos.bundles.json.Json;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.platform.Storage;
import io.waveos.agent.platform.WallClock;
import io.waveos.agent.platform.fake.FakeStorage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventLogTest {

    private static final Instant T0 = Instant.parse("2026-11-22T05:00:00.123456Z");
    private static final Path FILE = Path.of("/var/log/waveos/runs/20261122T050000Z-1/events.jsonl");

    private final FakeStorage storage = new FakeStorage();
    private Instant now = T0;
    private final WallClock clock = () -> now;
    private final List<String> diagnostics = new ArrayList<>();
    private final EventLog log = new EventLog(storage, FILE, clock, diagnostics::add);

    @Test
    void writesOneObjectPerLineWithKeysInTheContractOrder() throws Exception {
        log.emit(Event.of(EventCode.AGENT_STARTED, "agent", "started by systemd", "version", "0.1.0", "pid", 42L));

        assertEquals(List.of("{\"seq\":1,\"time\":\"2026-11-22T05:00:00.123Z\",\"code\":\"agent.started\","
                + "\"subject\":\"agent\",\"reason\":\"started by systemd\",\"fields\":{\"version\":\"0.1.0\","
                + "\"pid\":42},\"prev\":\"" + "0".repeat(64) + "\"}"), lines());
    }

    @Test
    void eachLineCarriesTheSha256OfThePreviousLine() throws Exception {
        log.emit(Event.of(EventCode.AGENT_STARTED, "agent", "start"));
        now = now.plus(Duration.ofMillis(1500));
        log.emit(Event.of(EventCode.SERVICE_STARTING, "modbus", "configured"));

        List<String> lines = lines();
        String expectedPrev = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(lines.get(0).getBytes(StandardCharsets.UTF_8)));
        Map<String, Object> second = Json.parseObject(lines.get(1).getBytes(StandardCharsets.UTF_8));
        assertEquals(2L, second.get("seq"));
        assertEquals("2026-11-22T05:00:01.623Z", second.get("time"));
        assertEquals(expectedPrev, second.get("prev"));
    }

    @Test
    void aLogOfManyEventsVerifies() throws Exception {
        emitMixed(25);

        assertEquals(new EventChainVerifier.Valid(25), EventChainVerifier.verify(content()));
        assertEquals(25, log.lastSeq());
    }

    @Test
    void textThatNeedsEscapingStaysOnOneLineAndVerifies() throws Exception {
        log.emit(Event.of(EventCode.SERVICE_EXITED, "mod\"bus\n", "exit\r\n\u0000 caf\u00e9 \ud83d\ude00",
                "stderr", "line1\nline2", "ratio", 0.5, "ok", false));

        assertEquals(1, lines().size());
        Map<String, Object> line = Json.parseObject(lines().get(0).getBytes(StandardCharsets.UTF_8));
        assertEquals("exit\r\n\u0000 caf\u00e9 \ud83d\ude00", line.get("reason"));
        assertEquals(new EventChainVerifier.Valid(1), EventChainVerifier.verify(content()));
    }

    @Test
    void aFieldThatJsonCannotHoldAsANumberIsWrittenAsAString() throws Exception {
        log.emit(Event.of(EventCode.SERVICE_EXITED, "modbus", "exit", "cpu", Double.NaN, "rate",
                Double.NEGATIVE_INFINITY, "ok", 1.5));

        Map<String, Object> line = Json.parseObject(lines().get(0).getBytes(StandardCharsets.UTF_8));
        assertEquals(Map.of("cpu", "NaN", "rate", "-Infinity", "ok", 1.5), line.get("fields"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"time", "code", "subject", "reason", "fields"})
    void tamperingWithAFieldOfAMiddleLineIsDetectedAtTheNextLine(String key) throws Exception {
        emitMixed(5);

        byte[] tampered = replaceInLine(3, key, key.equals("fields") ? Map.of("exit_code", 0L)
                : key.equals("time") ? "2026-11-22T04:59:59.999Z" : "forged");

        assertEquals(new EventChainVerifier.Broken(4, "line 4: prev does not match the SHA-256 of line 3"),
                EventChainVerifier.verify(tampered));
    }

    @Test
    void tamperingWithTheSequenceNumberIsDetectedOnThatLine() throws Exception {
        emitMixed(5);

        byte[] tampered = replaceInLine(3, "seq", 4L);

        assertEquals(new EventChainVerifier.Broken(3, "line 3: seq is 4, expected 3"),
                EventChainVerifier.verify(tampered));
    }

    @Test
    void rewritingAPrevHashIsDetectedOnThatLine() throws Exception {
        emitMixed(5);

        byte[] tampered = replaceInLine(3, "prev", "ab".repeat(32));

        assertEquals(new EventChainVerifier.Broken(3, "line 3: prev does not match the SHA-256 of line 2"),
                EventChainVerifier.verify(tampered));
    }

    @Test
    void removingAMiddleLineIsDetected() throws Exception {
        emitMixed(5);
        List<String> lines = new ArrayList<>(lines());

        lines.remove(2);

        assertEquals(new EventChainVerifier.Broken(3, "line 3: seq is 4, expected 3"),
                EventChainVerifier.verify(String.join("\n", lines) + "\n"));
    }

    @Test
    void durableEventsSurvivePowerLossWhileUnsyncedRoutineOnesDoNot() throws Exception {
        log.emit(Event.of(EventCode.AGENT_STARTED, "agent", "start"));
        log.emit(Event.of(EventCode.SERVICE_STARTING, "modbus", "configured"));
        log.emit(Event.of(EventCode.SERVICE_READY, "modbus", "port open"));
        assertEquals(3, lines().size());

        storage.powerLoss();

        assertEquals(List.of("agent.started"), codes());
        assertEquals(new EventChainVerifier.Valid(1), EventChainVerifier.verify(content()));
    }

    @Test
    void aDurableEventMakesTheRoutineLinesBeforeItDurableToo() throws Exception {
        log.emit(Event.of(EventCode.SERVICE_STARTING, "modbus", "configured"));
        log.emit(Event.of(EventCode.MODE_CHANGED, "mode", "degraded"));

        storage.powerLoss();

        assertEquals(List.of("service.starting", "mode.changed"), codes());
    }

    @Test
    void routineEventsSurvivePowerLossOnceSynced() throws Exception {
        log.emit(Event.of(EventCode.SERVICE_STARTING, "modbus", "configured"));
        log.emit(Event.of(EventCode.SERVICE_READY, "modbus", "port open"));

        log.sync();
        storage.powerLoss();

        assertEquals(List.of("service.starting", "service.ready"), codes());
    }

    @Test
    void aWriteFailureNeverReachesTheCallerAndTheBacklogIsWrittenLater() throws Exception {
        log.emit(Event.of(EventCode.AGENT_STARTED, "agent", "start"));
        storage.failWrites(true);

        assertDoesNotThrow(() -> {
            log.emit(Event.of(EventCode.SERVICE_EXITED, "modbus", "exit 1"));
            log.emit(Event.of(EventCode.INTENSITY_EXCEEDED, "modbus", "5 exits in 60 s"));
            log.sync();
        });
        assertEquals(List.of("agent.started"), codes());
        assertEquals(2, log.backlog());
        assertEquals(3, log.failures());
        assertEquals(1, diagnostics.size());
        assertTrue(diagnostics.get(0).contains(FILE.toString()) && diagnostics.get(0).contains("injected:"),
                diagnostics.get(0));

        storage.failWrites(false);
        log.emit(Event.of(EventCode.SERVICE_DISABLED, "modbus", "given up"));

        assertEquals(List.of("agent.started", "service.exited", "service.intensity_exceeded", "service.disabled"),
                codes());
        assertEquals(0, log.backlog());
        assertEquals(new EventChainVerifier.Valid(4), EventChainVerifier.verify(content()));
        assertEquals(2, diagnostics.size());
        assertTrue(diagnostics.get(1).contains("writable again"), diagnostics.get(1));
    }

    @Test
    void theFlushTimerRetriesTheBacklogAndMakesItDurable() throws Exception {
        storage.failWrites(true);
        log.emit(Event.of(EventCode.AGENT_STARTED, "agent", "start"));
        storage.failWrites(false);

        log.sync();
        storage.powerLoss();

        assertEquals(List.of("agent.started"), codes());
        assertEquals(new EventChainVerifier.Valid(1), EventChainVerifier.verify(content()));
    }

    @Test
    void theFileIsNotTouchedUntilTheFirstEvent() {
        storage.failWrites(true);

        EventLog untouched = new EventLog(storage, FILE, clock, diagnostics::add);

        assertEquals(0, untouched.failures());
        assertEquals(List.of(), diagnostics);
        assertFalse(storage.exists(FILE));
    }

    @Test
    void theBacklogIsBoundedAndWhatOverflowsIsCountedAndShowsAsAGap() throws Exception {
        storage.failWrites(true);
        for (int i = 0; i < EventLog.BACKLOG_LIMIT + 5; i++) {
            log.emit(Event.of(EventCode.SERVICE_EXITED, "modbus", "exit " + i));
        }
        assertEquals(EventLog.BACKLOG_LIMIT, log.backlog());
        assertEquals(5, log.dropped());
        storage.failWrites(false);

        log.emit(Event.of(EventCode.SERVICE_STARTING, "modbus", "again"));

        assertEquals(EventLog.BACKLOG_LIMIT + 1, lines().size());
        int next = EventLog.BACKLOG_LIMIT + 1;
        assertEquals(new EventChainVerifier.Broken(next, "line " + next + ": seq is " + (next + 5) + ", expected "
                + next), EventChainVerifier.verify(content()));
    }

    @Test
    void aTornWriteIsEndedSoTheLinesAfterItStayIntact() throws Exception {
        TearingStorage tearing = new TearingStorage(storage);
        EventLog torn = new EventLog(tearing, FILE, clock, diagnostics::add);
        torn.emit(Event.of(EventCode.AGENT_STARTED, "agent", "start"));
        tearing.tearNextAppend = true;
        torn.emit(Event.of(EventCode.SERVICE_STARTING, "modbus", "configured"));

        torn.emit(Event.of(EventCode.SERVICE_READY, "modbus", "port open"));

        List<String> lines = lines();
        assertEquals(4, lines.size());
        assertEquals(List.of("agent.started", "service.starting", "service.ready"),
                List.of(code(lines.get(0)), code(lines.get(2)), code(lines.get(3))));
        EventChainVerifier.Result result = EventChainVerifier.verify(content());
        assertTrue(result instanceof EventChainVerifier.Broken b && b.line() == 2
                && b.what().startsWith("line 2: not JSON: "), result.toString());
    }

    @Test
    void anExistingFileIsReportedBecauseTheNewChainCannotContinueIt() throws Exception {
        storage.createDirectories(FILE.getParent());
        storage.writeAtomically(FILE, "{\"old\":true}\n".getBytes(StandardCharsets.UTF_8));

        log.emit(Event.of(EventCode.AGENT_STARTED, "agent", "start"));

        assertEquals(1, diagnostics.size());
        assertTrue(diagnostics.get(0).contains("already holds 13 bytes"), diagnostics.get(0));
    }

    @Test
    void emittingAfterCloseIsAProgrammingError() {
        log.emit(Event.of(EventCode.AGENT_STOPPED, "agent", "stop"));
        log.close();

        assertThrows(IllegalStateException.class, () -> log.emit(Event.of(EventCode.AGENT_STOPPED, "agent", "x")));
    }

    @Test
    void closeSyncsWhatWasWritten() throws Exception {
        log.emit(Event.of(EventCode.SERVICE_STARTING, "modbus", "configured"));

        log.close();
        storage.powerLoss();

        assertEquals(List.of("service.starting"), codes());
    }

    private void emitMixed(int count) {
        EventCode[] codes = {EventCode.SERVICE_STARTING, EventCode.SERVICE_EXITED, EventCode.MODE_CHANGED};
        for (int i = 1; i <= count; i++) {
            now = now.plusMillis(250);
            log.emit(Event.of(codes[i % codes.length], "svc-" + i, "reason " + i, "n", (long) i));
        }
    }

    /** The file with one key of one line (1-based) replaced, everything else byte for byte. */
    private byte[] replaceInLine(int lineNumber, String key, Object value) throws Exception {
        List<String> lines = new ArrayList<>(lines());
        Map<String, Object> line = new LinkedHashMap<>(
                Json.parseObject(lines.get(lineNumber - 1).getBytes(StandardCharsets.UTF_8)));
        assertTrue(line.containsKey(key));
        Object old = line.put(key, value);
        assertNotEquals(old, value, "the tampered value must differ");
        lines.set(lineNumber - 1, Json.write(line));
        return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private byte[] content() throws IOException {
        return storage.read(FILE).orElse(new byte[0]);
    }

    private List<String> lines() throws IOException {
        String text = new String(content(), StandardCharsets.UTF_8);
        if (text.isEmpty()) {
            return List.of();
        }
        assertTrue(text.endsWith("\n"), "every line ends with a newline");
        return List.of(text.substring(0, text.length() - 1).split("\n", -1));
    }

    private List<String> codes() throws Exception {
        List<String> codes = new ArrayList<>();
        for (String line : lines()) {
            codes.add(code(line));
        }
        return codes;
    }

    private static String code(String line) throws Json.ParseException {
        return (String) Json.parseObject(line.getBytes(StandardCharsets.UTF_8)).get("code");
    }

    /** Storage whose next append writes only half its bytes and then fails, like a disk filling up. */
    private static final class TearingStorage implements Storage {
        private final Storage inner;
        boolean tearNextAppend;

        TearingStorage(Storage inner) {
            this.inner = inner;
        }

        @Override
        public AppendFile openAppend(Path path) throws IOException {
            AppendFile file = inner.openAppend(path);
            return new AppendFile() {
                @Override
                public void append(byte[] data) throws IOException {
                    if (tearNextAppend) {
                        tearNextAppend = false;
                        file.append(Arrays.copyOf(data, data.length / 2));
                        throw new IOException("No space left on device");
                    }
                    file.append(data);
                }

                @Override
                public void sync() throws IOException {
                    file.sync();
                }

                @Override
                public long size() {
                    return file.size();
                }

                @Override
                public void close() throws IOException {
                    file.close();
                }
            };
        }

        @Override
        public void writeAtomically(Path path, byte[] data) throws IOException {
            inner.writeAtomically(path, data);
        }

        @Override
        public void replaceAtomically(Path path, byte[] data) throws IOException {
            inner.replaceAtomically(path, data);
        }

        @Override
        public void writePrivately(Path path, byte[] data) throws IOException {
            inner.writePrivately(path, data);
        }

        @Override
        public Optional<Long> size(Path path) throws IOException {
            return inner.size(path);
        }

        @Override
        public void rename(Path from, Path to) throws IOException {
            inner.rename(from, to);
        }

        @Override
        public Optional<byte[]> read(Path path) throws IOException {
            return inner.read(path);
        }

        @Override
        public void createDirectories(Path path) throws IOException {
            inner.createDirectories(path);
        }

        @Override
        public boolean delete(Path path) throws IOException {
            return inner.delete(path);
        }

        @Override
        public boolean exists(Path path) {
            return inner.exists(path);
        }

        @Override
        public List<String> list(Path directory) throws IOException {
            return inner.list(directory);
        }

        @Override
        public void replaceSymlink(Path link, Path target) throws IOException {
            inner.replaceSymlink(link, target);
        }
    }
}
