package io.waveos.agent.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.platform.fake.FakeStorage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RunDirectoryTest {

    private static final Path LOGS = Path.of("/var/log/waveos");
    private static final Path STATE = Path.of("/var/lib/waveos");
    private static final Path RUNS = LOGS.resolve("runs");
    private static final Instant T0 = Instant.parse("2026-11-22T05:00:00.123Z");
    private static final String SHA = "ab".repeat(32);

    private final FakeStorage storage = new FakeStorage();

    @Test
    void theFirstRunIsNumberedOneAndNamedByItsStartInUtc() throws IOException {
        RunDirectory run = RunDirectory.create(storage, LOGS, STATE, T0);

        assertEquals("20261122T050000Z-1", run.runId());
        assertEquals(RUNS.resolve("20261122T050000Z-1"), run.path());
        assertEquals(List.of("20261122T050000Z-1", "current"), storage.list(RUNS));
        assertEquals("1\n", text(STATE.resolve("run_counter")));
        assertEquals(Optional.empty(), run.counterRepair());
    }

    @Test
    void currentIsARelativeLinkToTheNewestRun() throws IOException {
        RunDirectory.create(storage, LOGS, STATE, T0);
        RunDirectory second = RunDirectory.create(storage, LOGS, STATE, T0.plusSeconds(3600));

        assertEquals("20261122T060000Z-2", second.runId());
        assertEquals(Optional.of(Path.of("20261122T060000Z-2")), storage.symlinkTarget(RUNS.resolve("current")));
        storage.writeAtomically(second.runMetaFile(), "{}".getBytes(StandardCharsets.UTF_8));
        assertEquals("{}", text(RUNS.resolve("current").resolve("run_meta.json")));
    }

    @Test
    void theCounterIsDurableSoANumberIsNeverReusedEvenAfterOldRunsAreRemoved() throws IOException {
        RunDirectory first = RunDirectory.create(storage, LOGS, STATE, T0);
        storage.powerLoss();

        storage.delete(RUNS.resolve("current"));
        storage.delete(first.path());

        assertEquals("20261122T050000Z-2", RunDirectory.create(storage, LOGS, STATE, T0).runId());
    }

    @Test
    void aLostCounterContinuesAfterTheHighestRunFolder() throws IOException {
        for (int i = 0; i < 3; i++) {
            RunDirectory.create(storage, LOGS, STATE, T0);
        }
        storage.delete(STATE.resolve("run_counter"));

        RunDirectory run = RunDirectory.create(storage, LOGS, STATE, T0);

        assertEquals("20261122T050000Z-4", run.runId());
        assertEquals("4\n", text(STATE.resolve("run_counter")));
    }

    @Test
    void aCounterAheadOfTheFoldersWins() throws IOException {
        storage.createDirectories(STATE);
        storage.writeAtomically(STATE.resolve("run_counter"), "41\n".getBytes(StandardCharsets.US_ASCII));

        assertEquals("20261122T050000Z-42", RunDirectory.create(storage, LOGS, STATE, T0).runId());
    }

    @Test
    void aCorruptCounterIsReportedAndNumberingContinuesAfterTheFolders() throws IOException {
        RunDirectory.create(storage, LOGS, STATE, T0);
        RunDirectory.create(storage, LOGS, STATE, T0);
        storage.writeAtomically(STATE.resolve("run_counter"), "\u0000\u0000garbage".getBytes(StandardCharsets.UTF_8));

        RunDirectory run = RunDirectory.create(storage, LOGS, STATE, T0);

        assertEquals("20261122T050000Z-3", run.runId());
        assertEquals("3\n", text(STATE.resolve("run_counter")));
        assertTrue(run.counterRepair().orElseThrow().startsWith(STATE.resolve("run_counter") + " is corrupt"),
                run.counterRepair().orElseThrow());
    }

    @Test
    void namesItsFiles() throws IOException {
        RunDirectory run = RunDirectory.create(storage, LOGS, STATE, T0);

        assertEquals(run.path().resolve("events.jsonl"), run.eventsFile());
        assertEquals(run.path().resolve("run_meta.json"), run.runMetaFile());
    }

    @Test
    void runMetaIsWrittenWithKeysInOrderAndSurvivesPowerLoss() throws IOException {
        RunDirectory run = RunDirectory.create(storage, LOGS, STATE, T0);

        run.writeMeta(new RunMeta("0.1.0", "press-7", "boot-b", run.runId(), SHA, T0, "agent_crash",
                Optional.of("20261121T230000Z-7"), 4242));
        storage.powerLoss();

        assertEquals("{\"agent_version\":\"0.1.0\",\"device_id\":\"press-7\",\"boot_id\":\"boot-b\","
                + "\"run_id\":\"20261122T050000Z-1\",\"config_sha256\":\"" + SHA + "\","
                + "\"started\":\"2026-11-22T05:00:00.123Z\",\"previous_stop\":\"agent_crash\","
                + "\"previous_run_id\":\"20261121T230000Z-7\",\"pid\":4242}\n", text(run.runMetaFile()));
    }

    @Test
    void runMetaOmitsThePreviousRunWhenThereIsNone() throws IOException {
        RunDirectory run = RunDirectory.create(storage, LOGS, STATE, T0);

        run.writeMeta(new RunMeta("0.1.0", "press-7", "boot-a", run.runId(), SHA, T0, "first_start",
                Optional.empty(), 1));

        assertFalse(text(run.runMetaFile()).contains("previous_run_id"));
        assertTrue(text(run.runMetaFile()).contains("\"previous_stop\":\"first_start\",\"pid\":1}"));
    }

    @Test
    void refusesTheMetaOfAnotherRun() throws IOException {
        RunDirectory run = RunDirectory.create(storage, LOGS, STATE, T0);
        RunMeta other = new RunMeta("0.1.0", "press-7", "boot-a", "20200101T000000Z-9", SHA, T0, "first_start",
                Optional.empty(), 1);

        assertThrows(IllegalArgumentException.class, () -> run.writeMeta(other));
        assertFalse(storage.exists(run.runMetaFile()));
    }

    @Test
    void runMetaRejectsInvalidValues() {
        assertThrows(IllegalArgumentException.class, () -> new RunMeta("0.1.0", "d", "b", "r", "not-a-sha", T0,
                "first_start", Optional.empty(), 1));
        assertThrows(IllegalArgumentException.class, () -> new RunMeta("0.1.0", " ", "b", "r", SHA, T0,
                "first_start", Optional.empty(), 1));
        assertThrows(IllegalArgumentException.class, () -> new RunMeta("0.1.0", "d", "b", "r", SHA, T0,
                "first_start", Optional.of(""), 1));
        assertThrows(IllegalArgumentException.class, () -> new RunMeta("0.1.0", "d", "b", "r", SHA, T0,
                "first_start", Optional.empty(), 0));
    }

    @Test
    void aStorageFailureIsThrownBeforeAnythingIsCreated() {
        storage.failWrites(true);

        IOException e = assertThrows(IOException.class, () -> RunDirectory.create(storage, LOGS, STATE, T0));

        assertTrue(e.getMessage().startsWith("injected: "), e.getMessage());
        assertFalse(storage.exists(RUNS));
    }

    private String text(Path path) throws IOException {
        return new String(storage.read(path).orElseThrow(), StandardCharsets.UTF_8);
    }
}
