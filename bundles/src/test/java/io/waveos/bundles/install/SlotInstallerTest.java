package io.waveos.bundles.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.bundles.BundleError;
import io.waveos.bundles.BundleRejected;
import io.waveos.bundles.manifest.Kind;
import io.waveos.bundles.manifest.Manifest;
import io.waveos.bundles.manifest.PayloadFile;
import io.waveos.bundles.platform.CrashingStorage;
import io.waveos.bundles.platform.PowerCutException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SlotInstallerTest {

    private static final Path UPDATES = Path.of("/state/updates");
    private static final Map<String, byte[]> V1 = Payloads.files("bin/app", "one", "etc/conf", "c1");
    private static final Map<String, byte[]> V2 = Payloads.files("bin/app", "two", "share/doc/x", "d2");
    private static final Manifest M1 = Payloads.manifest("app", 1, V1);
    private static final Manifest M2 = Payloads.manifest("app", 2, V2);
    private static final RollbackReason MANUAL = new RollbackReason(Criterion.MANUAL, Map.of("by", "test"));

    private final CrashingStorage storage = new CrashingStorage();
    private SlotInstaller installer;

    @BeforeEach
    void updatesFolder() throws IOException {
        storage.createDirectories(UPDATES);
        storage.syncAll();
        installer = new SlotInstaller(storage, UPDATES);
    }

    private void installCommitted(Manifest m, Map<String, byte[]> files) throws Exception {
        installer.install(m, Payloads.stream(m, files), 0);
        installer.commit(m.component());
    }

    private BundleError rejection(Manifest m, PayloadStream stream) {
        return assertThrows(BundleRejected.class, () -> installer.install(m, stream, 0)).error();
    }

    private String stateJson() throws IOException {
        return new String(storage.read(UPDATES.resolve("components/app/state.json")).orElseThrow(),
                StandardCharsets.UTF_8);
    }

    @Test
    void firstInstallActivatesSlotAOnTrialAndCommitMarksItGoodAndRaisesTheFloor() throws Exception {
        Activated a = installer.install(M1, Payloads.stream(M1, V1), 0);
        assertEquals("a", a.slot().slot());
        assertEquals(Mark.TRIAL, a.slot().mark());
        assertEquals(Optional.empty(), a.previousSlot());
        assertEquals(0, installer.floor("app"));
        Committed c = installer.commit("app");
        assertEquals(1, c.floor());
        assertEquals(1, installer.floor("app"));
        assertEquals(Mark.GOOD, installer.active("app").orElseThrow().mark());
        assertEquals(List.of("app"), installer.components());
        assertTrue(Payloads.sameTree(storage, a.slot().dir(), V1));
        assertEquals(new InstallOutcome.Installed("app", 1, "app-1"), c.outcome());
    }

    @Test
    void updateWritesTheOtherSlotAndLeavesTheOldOneIntact() throws Exception {
        installCommitted(M1, V1);
        Activated a = installer.install(M2, Payloads.stream(M2, V2), 0);
        assertEquals("b", a.slot().slot());
        assertEquals(Optional.of("a"), a.previousSlot());
        assertTrue(Payloads.sameTree(storage, UPDATES.resolve("components/app/a"), V1));
        assertTrue(Payloads.sameTree(storage, a.slot().dir(), V2));
        assertEquals(Payloads.EXEC_MODE, storage.mode(a.slot().dir().resolve("bin/app")));
    }

    @Test
    void rollBackReturnsToThePreviousSlotAndRecordsTheReason() throws Exception {
        installCommitted(M1, V1);
        installer.install(M2, Payloads.stream(M2, V2), 0);
        RolledBack r = installer.rollBack("app", MANUAL);
        assertEquals(Optional.of("a"), r.restoredSlot());
        assertEquals(1, installer.active("app").orElseThrow().version());
        assertEquals(1, installer.floor("app"));
        assertTrue(stateJson().contains("\"step\":\"ROLLED_BACK\""), stateJson());
        assertTrue(stateJson().contains("\"criterion\":\"manual\",\"data\":{\"by\":\"test\"}"), stateJson());
        assertTrue(stateJson().contains("\"b\":{\"mark\":\"bad\""), stateJson());
    }

    @Test
    void rollBackOfAFirstInstallLeavesNoActiveSlot() throws Exception {
        installer.install(M1, Payloads.stream(M1, V1), 0);
        assertEquals(Optional.empty(), installer.rollBack("app", MANUAL).restoredSlot());
        assertEquals(Optional.empty(), installer.active("app"));
    }

    @Test
    void commitAndRollBackNeedATrial() throws Exception {
        installCommitted(M1, V1);
        assertThrows(IllegalStateException.class, () -> installer.commit("app"));
        assertThrows(IllegalStateException.class, () -> installer.rollBack("app", MANUAL));
        installer.install(M2, Payloads.stream(M2, V2), 0);
        assertThrows(IllegalStateException.class, () -> installer.install(M2, Payloads.stream(M2, V2), 0));
    }

    @Test
    void refusesAVersionAtOrBelowTheFloorBeforeWritingAnything() throws Exception {
        installCommitted(M2, V2);
        int before = storage.mutationCount();
        assertEquals(BundleError.ROLLBACK, rejection(M2, Payloads.stream(M2, V2)));
        assertEquals(BundleError.ROLLBACK, rejection(M1, Payloads.stream(M1, V1)));
        assertEquals(before, storage.mutationCount());
    }

    @Test
    void refusesWhenSpaceIsShortCountingTheTargetSlotAsFreed() throws Exception {
        installCommitted(M1, V1);
        installer.install(M2, Payloads.stream(M2, V2), 0);
        installer.rollBack("app", MANUAL);
        storage.setUsableSpace(0);
        Manifest m3 = Payloads.manifest("app", 3, V2);
        assertEquals(BundleError.NO_SPACE, assertThrows(BundleRejected.class,
                () -> installer.install(m3, Payloads.stream(m3, V2), 1)).error());
        installer.install(m3, Payloads.stream(m3, V2), 0);
    }

    @Test
    void aHashMismatchMidStreamLeavesTheOldSlotActiveAndTheTargetBad() throws Exception {
        installCommitted(M1, V1);
        assertEquals(BundleError.HASH_MISMATCH, rejection(M2, Payloads.failingMidStream(M2, V2)));
        ActiveSlot a = installer.active("app").orElseThrow();
        assertEquals("a", a.slot());
        assertEquals(Mark.GOOD, a.mark());
        assertTrue(stateJson().contains("\"b\":{\"mark\":\"bad\""), stateJson());
        assertTrue(Payloads.sameTree(storage, a.dir(), V1));
    }

    @Test
    void wrongBytesFromAnUntrustedStreamAreRefusedBeforeTheSlotIsActivated() throws Exception {
        Map<String, byte[]> forged = Payloads.files("bin/app", "owt", "share/doc/x", "d2");
        assertEquals(BundleError.WRITTEN_MISMATCH, rejection(M2, Payloads.stream(M2, forged)));
        assertEquals(Optional.empty(), installer.active("app"));
    }

    @Test
    void refusesPathsThatLeaveTheSlot() {
        for (String bad : List.of("../escape", "/abs", "a//b", "./x", "a/../../x", "bad\u0001name", "a\\b")) {
            Map<String, byte[]> files = Map.of(bad, new byte[] {1});
            Manifest m = Payloads.manifest("app", 1, files);
            assertEquals(BundleError.PATH_UNSAFE, rejection(m, Payloads.stream(m, files)), bad);
        }
    }

    @Test
    void refusesUnlistedMissingAndOverlongStreams() {
        Map<String, byte[]> extra = Payloads.files("bin/app", "one", "etc/conf", "c1", "x", "y");
        Manifest withExtra = Payloads.manifest("app", 1, extra);
        assertEquals(BundleError.MEMBER_UNLISTED, rejection(M1, Payloads.stream(withExtra, extra)));
        PayloadStream onlyFirst = sink -> {
            PayloadFile f = M1.files().get(0);
            try (OutputStream out = sink.open(f)) {
                out.write(V1.get(f.path()));
            }
            sink.completed(f);
        };
        assertEquals(BundleError.MEMBER_MISSING, rejection(M1, onlyFirst));
        PayloadStream tooLong = sink -> {
            try (OutputStream out = sink.open(M1.files().get(0))) {
                out.write(new byte[100]);
            }
        };
        assertEquals(BundleError.SIZE_MISMATCH, rejection(M1, tooLong));
    }

    @Test
    void refusesServicesOrTrialsWhereTheKindHasNone() {
        Manifest certs = Payloads.manifest("certs", 1, Kind.CERTS, V1);
        Manifest withTrial = new Manifest(1, "c", Kind.CERTS, "certs", 1, "1", certs.created(), certs.expires(),
                certs.compatibility(), certs.files(), List.of(), M1.trial());
        assertEquals(BundleError.INCOMPATIBLE, rejection(withTrial, Payloads.stream(withTrial, V1)));
    }

    @Test
    void storageFailureIsReportedAsStorageFailedWithTheCause() throws Exception {
        installCommitted(M1, V1);
        storage.cutAt(5);
        BundleRejected e = assertThrows(BundleRejected.class, () -> installer.install(M2, Payloads.stream(M2, V2), 0));
        assertEquals(BundleError.STORAGE_FAILED, e.error());
        assertInstanceOf(PowerCutException.class, e.getCause());
    }

    @Test
    void recoveryResumesAnInterruptedTrialOnceThenRollsItBack() throws Exception {
        installCommitted(M1, V1);
        installer.install(M2, Payloads.stream(M2, V2), 0);
        List<Recovery> first = new SlotInstaller(storage, UPDATES).recover();
        Recovery.ResumeTrial resumed = assertInstanceOf(Recovery.ResumeTrial.class, first.get(0));
        assertEquals(1, resumed.interruptions());
        assertEquals(2, resumed.slot().version());
        List<Recovery> second = new SlotInstaller(storage, UPDATES).recover();
        RolledBack r = assertInstanceOf(Recovery.RolledBackOnRecovery.class, second.get(0)).rolledBack();
        assertEquals(Criterion.TRIAL_INTERRUPTED, r.reason().criterion());
        assertEquals(Map.of("interruptions", "2", "max", "1"), r.reason().data());
        assertEquals(1, installer.active("app").orElseThrow().version());
        assertEquals(List.of(), installer.recover());
    }

    @Test
    void recoveryAbandonsAnInstallCutBeforeActivationOnce() throws Exception {
        installCommitted(M1, V1);
        storage.cutAt(20);
        assertThrows(BundleRejected.class, () -> installer.install(M2, Payloads.stream(M2, V2), 0));
        storage.powerCut();
        List<Recovery> done = new SlotInstaller(storage, UPDATES).recover();
        assertEquals(List.of(new Recovery.Abandoned("app", "app-2", 2, Step.TARGET_BAD)), done);
        assertEquals(List.of(), new SlotInstaller(storage, UPDATES).recover());
        assertEquals("a", installer.active("app").orElseThrow().slot());
    }

    @Test
    void recoveryRaisesAFloorLeftBelowACommittedSlot() throws Exception {
        installCommitted(M1, V1);
        storage.writeAtomically(UPDATES.resolve("floors.json"), "{}".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(new Recovery.FloorRaised("app", 0, 1)), installer.recover());
        assertEquals(1, installer.floor("app"));
    }

    @Test
    void aDamagedStateFileIsAnErrorNamingTheFileAndField() throws Exception {
        installCommitted(M1, V1);
        storage.writeAtomically(UPDATES.resolve("components/app/state.json"),
                "{\"active\":\"a\",\"slots\":{}}".getBytes(StandardCharsets.UTF_8));
        IOException e = assertThrows(IOException.class, () -> installer.active("app"));
        assertTrue(e.getMessage().contains("state.json: active"), e.getMessage());
        assertFalse(e.getMessage().isBlank());
    }
}
