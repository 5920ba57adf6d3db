package io.waveos.agent.watchdog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.platform.fake.FakeStorage;
import io.waveos.agent.watchdog.ResetClassifier.Classification;
import io.waveos.agent.watchdog.RunLedger.CleanShutdown;
import io.waveos.agent.watchdog.RunLedger.LastRun;
import io.waveos.agent.watchdog.RunLedger.Previous;
import io.waveos.agent.watchdog.RunLedger.RebootIntent;
import io.waveos.agent.watchdog.RunLedger.StateFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RunLedgerTest {

    private static final Path STATE = Path.of("/var/lib/waveos");
    private static final Instant T0 = Instant.parse("2026-11-22T05:00:00.250Z");
    private static final Instant T1 = Instant.parse("2026-11-22T06:30:00.500Z");

    private final FakeStorage storage = new FakeStorage();
    private final RunLedger ledger = new RunLedger(storage, STATE);

    @Test
    void nothingRecordedReadsAsNoPreviousRun() {
        assertEquals(Previous.none(), ledger.readPrevious());
    }

    @Test
    void startWritesTheLastRunFile() throws IOException {
        ledger.recordStart("r-1", "boot-a", T0);

        assertEquals("{\"run_id\":\"r-1\",\"boot_id\":\"boot-a\",\"started\":\"2026-11-22T05:00:00.250Z\"}\n",
                text(StateFile.LAST_RUN));
        assertEquals(Optional.of(new LastRun("r-1", "boot-a", T0)), ledger.readPrevious().lastRun());
    }

    @Test
    void cleanShutdownAndRebootIntentAreReadBack() throws IOException {
        ledger.recordStart("r-1", "boot-a", T0);
        ledger.recordRebootIntent("r-1", "boot-a", "operator asked", T1);
        ledger.recordCleanShutdown("r-1", T1);

        Previous p = ledger.readPrevious();

        assertEquals(Optional.of(new CleanShutdown("r-1", T1)), p.cleanShutdown());
        assertEquals(Optional.of(new RebootIntent("r-1", "boot-a", "operator asked", T1)), p.rebootIntent());
        assertEquals("{\"run_id\":\"r-1\",\"boot_id\":\"boot-a\",\"reason\":\"operator asked\","
                + "\"time\":\"2026-11-22T06:30:00.500Z\"}\n", text(StateFile.REBOOT_INTENT));
    }

    @Test
    void theNextStartConsumesTheMarkersOfThePreviousRun() throws IOException {
        ledger.recordStart("r-1", "boot-a", T0);
        ledger.recordRebootIntent("r-1", "boot-a", "operator asked", T1);
        ledger.recordCleanShutdown("r-1", T1);

        ledger.recordStart("r-2", "boot-b", T1);

        assertEquals(new Previous(Optional.of(new LastRun("r-2", "boot-b", T1)), Optional.empty(), Optional.empty(),
                Map.of()), ledger.readPrevious());
        assertFalse(storage.exists(ledger.path(StateFile.CLEAN_SHUTDOWN)));
    }

    @Test
    void everyRecordIsDurableWhenItReturns() throws IOException {
        ledger.recordStart("r-1", "boot-a", T0);
        ledger.recordRebootIntent("r-1", "boot-a", "update", T1);

        storage.powerLoss();

        Previous p = ledger.readPrevious();
        assertTrue(p.lastRun().isPresent() && p.rebootIntent().isPresent(), p.toString());
    }

    @Test
    void aWriteFailureReachesTheCaller() {
        storage.failWrites(true);

        assertThrows(IOException.class, () -> ledger.recordRebootIntent("r-1", "boot-a", "update", T1));
    }

    @Test
    void aFileThatIsNotJsonIsReportedWithItsPathInsteadOfThrowing() throws IOException {
        write(StateFile.LAST_RUN, "{\"run_id\":\"r-1\",");

        Previous p = ledger.readPrevious();

        assertEquals(Optional.empty(), p.lastRun());
        assertEquals(Map.of(StateFile.LAST_RUN, STATE.resolve("last_run.json")
                + " is not JSON: expected a string key, found end of input at offset 16"), p.unreadable());
    }

    @Test
    void aFileWithAMissingOrMistypedKeyIsReported() throws IOException {
        write(StateFile.CLEAN_SHUTDOWN, "{\"run_id\":\"r-1\"}");
        write(StateFile.REBOOT_INTENT,
                "{\"run_id\":\"r-1\",\"boot_id\":7,\"reason\":\"x\",\"time\":\"2026-11-22T06:30:00.500Z\"}");

        Map<StateFile, String> unreadable = ledger.readPrevious().unreadable();

        assertEquals(STATE.resolve("clean_shutdown.json") + " is invalid: missing key \"time\"",
                unreadable.get(StateFile.CLEAN_SHUTDOWN));
        assertEquals(STATE.resolve("reboot_intent.json") + " is invalid: \"boot_id\" is not a string",
                unreadable.get(StateFile.REBOOT_INTENT));
    }

    @Test
    void aBadTimeOrBlankIdIsReported() throws IOException {
        write(StateFile.LAST_RUN, "{\"run_id\":\"r-1\",\"boot_id\":\"b\",\"started\":\"yesterday\"}");
        write(StateFile.CLEAN_SHUTDOWN, "{\"run_id\":\" \",\"time\":\"2026-11-22T06:30:00.500Z\"}");

        Map<StateFile, String> unreadable = ledger.readPrevious().unreadable();

        assertEquals(STATE.resolve("last_run.json")
                + " is invalid: \"started\": \"yesterday\" is not RFC 3339 UTC with milliseconds",
                unreadable.get(StateFile.LAST_RUN));
        assertEquals(STATE.resolve("clean_shutdown.json") + " is invalid: \"run_id\" is blank",
                unreadable.get(StateFile.CLEAN_SHUTDOWN));
    }

    @Test
    void aCorruptLastRunFileClassifiesAsUnknownNamingTheFile() throws IOException {
        write(StateFile.LAST_RUN, "\u0000\u0000\u0000");

        Classification c = ResetClassifier.classify(ledger.readPrevious(), "boot-b", Optional.of(0));

        assertEquals(ResetReason.UNKNOWN, c.reason());
        assertEquals(STATE.resolve("last_run.json") + " is not JSON: unexpected byte 0x00, expected a value at offset 0",
                c.detail());
    }

    @Test
    void aCleanExitThenAStartClassifiesAsCleanShutdown() throws IOException {
        ledger.recordStart("r-1", "boot-a", T0);
        ledger.recordCleanShutdown("r-1", T1);

        assertEquals(ResetReason.CLEAN_SHUTDOWN,
                ResetClassifier.classify(ledger.readPrevious(), "boot-a", Optional.empty()).reason());
    }

    @Test
    void anIntentThenARebootClassifiesAsPlannedAndAPowerCutLaterAsPowerLoss() throws IOException {
        ledger.recordStart("r-1", "boot-a", T0);
        ledger.recordRebootIntent("r-1", "boot-a", "update", T1);
        assertEquals(ResetReason.PLANNED_REBOOT,
                ResetClassifier.classify(ledger.readPrevious(), "boot-b", Optional.of(0)).reason());

        ledger.recordStart("r-2", "boot-b", T1);
        storage.powerLoss();

        assertEquals(ResetReason.POWER_LOSS,
                ResetClassifier.classify(ledger.readPrevious(), "boot-c", Optional.of(0)).reason());
    }

    private void write(StateFile file, String content) throws IOException {
        storage.createDirectories(STATE);
        storage.writeAtomically(ledger.path(file), content.getBytes(StandardCharsets.UTF_8));
    }

    private String text(StateFile file) throws IOException {
        return new String(storage.read(ledger.path(file)).orElseThrow(), StandardCharsets.UTF_8);
    }
}
