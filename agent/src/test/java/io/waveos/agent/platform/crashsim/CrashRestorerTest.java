package io.waveos.agent.platform.crashsim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.platform.Storage;
import io.waveos.agent.platform.linux.SystemClocks;
import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.EventCode;
import io.waveos.agent.telemetry.EventLog;
import io.waveos.bundles.platform.SlotStorage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the restore does to real agent files, and how a write cut stops the agent. */
class CrashRestorerTest {
    @TempDir
    Path temp;
    private Path state;
    private Path shadowDir;

    @BeforeEach
    void folders() throws IOException {
        state = Files.createDirectories(temp.resolve("state"));
        shadowDir = temp.resolve("shadow");
    }

    private CrashShadow shadow() throws IOException {
        return CrashShadow.open(shadowDir, List.of(state), state.resolve("updates"));
    }

    @Test
    void eventsAppendedAfterTheLastFsyncAreOnDiskUntilTheCutAndGoneAfterIt() throws IOException {
        Path events = state.resolve("events.jsonl");
        EventLog log = new EventLog(shadow().storage(), events, new SystemClocks());
        log.emit(Event.of(EventCode.AGENT_STARTED, "agent", "kept"));
        log.sync();
        long synced = Files.size(events);
        log.emit(Event.of(EventCode.SERVICE_READY, "sensor", "not synced, lost")); // not a sync-at-once code
        String before = Files.readString(events);

        RestoreReport report = CrashRestorer.restore(shadowDir);

        assertTrue(before.contains("not synced, lost"), "the unsynced line was on disk before the cut: " + before);
        assertEquals(synced, Files.size(events), report.text());
        assertFalse(Files.readString(events).contains("not synced, lost"));
        assertEquals(1, report.truncated().size(), report.text());
    }

    @Test
    void aReplacementWithoutFsyncGoesBackToTheLastDurableContent() throws IOException {
        Storage s = shadow().storage();
        Path ledger = state.resolve("processes.json");
        s.writeAtomically(ledger, bytes("durable"));
        s.replaceAtomically(ledger, bytes("volatile"));
        assertEquals("volatile", Files.readString(ledger));

        CrashRestorer.restore(shadowDir);

        assertEquals("durable", Files.readString(ledger));
    }

    @Test
    void anUnsyncedDeleteOfADurableSlotFileIsUndoneFromItsCapture() throws IOException {
        SlotStorage s = shadow().slotStorage();
        Path slot = state.resolve("updates/app/a");
        s.createDirectories(slot);
        s.writeAtomically(slot.resolve("bin"), bytes("old payload"));
        s.syncDirectory(slot.getParent());
        s.syncDirectory(state.resolve("updates"));
        s.syncDirectory(state);
        s.deleteTree(slot);
        assertFalse(Files.exists(slot));

        RestoreReport report = CrashRestorer.restore(shadowDir);

        assertEquals("old payload", Files.readString(slot.resolve("bin")), report.text());
    }

    @Test
    void baselineAndRegisteredFilesStayAndUnknownWritersAreListedNotDeleted() throws IOException {
        Files.writeString(state.resolve("factory.yaml"), "factory");
        Storage s = shadow().storage();
        s.writeAtomically(state.resolve("mine"), bytes("x"));
        Files.createDirectories(state.resolve("inbox"));
        Files.writeString(state.resolve("inbox/app-2.wbundle"), "bundle");
        CrashRestorer.registerDurable(shadowDir, state.resolve("inbox/app-2.wbundle"));
        Files.writeString(state.resolve("service.log"), "written by a service");

        RestoreReport report = CrashRestorer.restore(shadowDir);

        assertEquals("factory", Files.readString(state.resolve("factory.yaml")));
        assertEquals("bundle", Files.readString(state.resolve("inbox/app-2.wbundle")));
        assertEquals("written by a service", Files.readString(state.resolve("service.log")));
        assertEquals(List.of(state.resolve("service.log").toString()), report.unknown());
    }

    @Test
    void aDurableWriteTheAgentWasKilledInsideIsJudgedFromTheDisk() throws IOException {
        Storage s = shadow().storage();
        Path file = state.resolve("run_ledger.json");
        s.writeAtomically(file, bytes("first"));
        // the agent died between the journal's begin and end of a second write that never reached the disk
        Files.writeString(shadowDir.resolve(ShadowJournal.FILE), "[\"begin\",\"S_WRITE\",\"" + file + "\",\"" + file
                + "\",6,12345]\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);

        RestoreReport report = CrashRestorer.restore(shadowDir);

        assertEquals("first", Files.readString(file), report.text());
        assertTrue(report.problems().get(0).contains("had not reached the disk"), report.text());
    }

    @Test
    void anArmedCutStopsTheAgentJustBeforeItsNthUpdateWriteAndNeverPerformsIt() throws Exception {
        SlotStorage s = shadow().slotStorage();
        Path updates = state.resolve("updates");
        s.createDirectories(updates);
        WriteCut.arm(shadowDir, WriteCut.Scope.UPDATES, 2);
        s.createDirectories(state.resolve("elsewhere")); // not an update write: not counted
        s.syncDirectory(updates); // the first update write
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> {
            try {
                s.writeAtomically(updates.resolve("state.json"), bytes("never"));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });

        Optional<String> tripped = Optional.empty();
        for (int i = 0; i < 500 && tripped.isEmpty(); i++) {
            tripped = WriteCut.tripped(shadowDir);
            second.getNow(null);
            TimeUnit.MILLISECONDS.sleep(10); // an integration poll on another thread's progress, bounded
        }
        assertTrue(tripped.orElseThrow().contains("create " + updates.resolve(".state.json.tmp")), tripped.get());
        assertFalse(second.isDone(), "the thread that reached the cut stays blocked");
        assertFalse(Files.exists(updates.resolve(".state.json.tmp")), "the cut operation was not performed");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
