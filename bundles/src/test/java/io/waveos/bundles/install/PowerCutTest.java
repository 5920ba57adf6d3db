package io.waveos.bundles.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.waveos.bundles.BundleRejected;
import io.waveos.bundles.manifest.Manifest;
import io.waveos.bundles.platform.CrashingStorage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The invariant: a power cut before any mutating operation of an install, commit or rollback,
 * in the worst case or torn, leaves the component on exactly one consistent slot (the old version, or
 * the new one on trial or committed, byte for byte), and never lowers the floor. After recovery the
 * device can still finish or repeat the update.
 */
class PowerCutTest {

    private static final Path UPDATES = Path.of("/var/lib/waveos/updates");
    private static final String APP = "app";
    private static final long[] SEEDS = {1, 2, 3};

    private static final Map<String, byte[]> OLD = Payloads.files(
            "bin/app", "#!/bin/sh\necho old version of the application, long enough for two writes\n",
            "etc/app.conf", "mode=old\n",
            "README", "old readme\n");
    private static final Map<String, byte[]> NEW = Payloads.files(
            "bin/app", "#!/bin/sh\necho NEW version of the application, also more than one chunk\n",
            "etc/app.conf", "mode=new\nextra=1\n",
            "lib/plugins/x.so", "new plugin bytes\n");
    private static final Manifest OLD_M = Payloads.manifest(APP, 1, OLD);
    private static final Manifest NEW_M = Payloads.manifest(APP, 2, NEW);

    /** What runs with the power cut scheduled. */
    private interface Flow {
        void run(SlotInstaller installer) throws BundleRejected, IOException;
    }

    private static final Flow INSTALL_AND_COMMIT = i -> {
        i.install(NEW_M, Payloads.stream(NEW_M, NEW), 0);
        i.commit(APP);
    };

    private static final Flow INSTALL_AND_ROLL_BACK = i -> {
        i.install(NEW_M, Payloads.stream(NEW_M, NEW), 0);
        i.rollBack(APP, new RollbackReason(Criterion.SERVICE_FAILED, Map.of("service", "web")));
    };

    private static CrashingStorage twin(boolean withOldVersion) throws Exception {
        CrashingStorage s = new CrashingStorage();
        s.createDirectories(UPDATES);
        s.syncAll();
        if (withOldVersion) {
            SlotInstaller i = new SlotInstaller(s, UPDATES);
            i.install(OLD_M, Payloads.stream(OLD_M, OLD), 0);
            i.commit(APP);
        }
        return s;
    }

    @Test
    void updateOverAnOldVersionSurvivesACutBeforeEveryOperationOfInstallAndCommit() throws Exception {
        int covered = coverEveryCut("install+commit", true, INSTALL_AND_COMMIT, true);
        assertTrue(covered > 40, "an install and commit has more than 40 cut points: " + covered);
    }

    @Test
    void updateOverAnOldVersionSurvivesACutBeforeEveryOperationOfInstallAndRollBack() throws Exception {
        int covered = coverEveryCut("install+rollBack", true, INSTALL_AND_ROLL_BACK, false);
        assertTrue(covered > 40, "an install and rollback has more than 40 cut points: " + covered);
    }

    @Test
    void firstInstallSurvivesACutBeforeEveryOperation() throws Exception {
        int covered = coverEveryCut("first install+commit", false, INSTALL_AND_COMMIT, true);
        assertTrue(covered > 30, "a first install has more than 30 cut points: " + covered);
    }

    @Test
    void aSecondCutDuringRecoveryStillLeavesOneConsistentSlot() throws Exception {
        CrashingStorage reference = twin(true);
        int before = reference.mutationCount();
        INSTALL_AND_COMMIT.run(new SlotInstaller(reference, UPDATES));
        int ops = reference.mutationCount() - before;
        int pairs = 0;
        for (int k = 0; k < ops; k++) {
            // How many mutations does recovery after a cut at k make? Replay deterministically to count.
            CrashingStorage counted = cutThenPowerCut(k);
            int r0 = counted.mutationCount();
            new SlotInstaller(counted, UPDATES).recover();
            int recoveryOps = counted.mutationCount() - r0;
            for (int j = 0; j < recoveryOps; j++) {
                for (int mode = 0; mode < 2; mode++) {
                    CrashingStorage s = cutThenPowerCut(k);
                    s.cutAt(j);
                    assertThrows(IOException.class, () -> new SlotInstaller(s, UPDATES).recover(),
                            "recovery is cut before its op " + j);
                    if (mode == 0) {
                        s.powerCut();
                    } else {
                        s.powerCut(7919L * k + j);
                    }
                    String context = "cut before install op " + k + ", then before recovery op " + j + ", mode " + mode;
                    checkInvariantAfterRecovery(s, true, context);
                    finishUpdate(s, context);
                    pairs++;
                }
            }
        }
        System.out.printf("cut during recovery: covered %d (install cut, recovery cut, mode) combinations%n", pairs);
        assertTrue(pairs > 10, "recovery has cut points to cover after some install cuts: " + pairs);
    }

    /** The state folder exists (the agent makes it at start); its {@code updates} folder does not yet. */
    @Test
    void aFirstInstallIntoAnUpdatesFolderThatDoesNotExistYetSurvivesEveryCut() throws Exception {
        Path fresh = Path.of("/var/lib/waveos-new/updates");
        CrashingStorage reference = new CrashingStorage();
        reference.createDirectories(fresh.getParent());
        reference.syncAll();
        int before = reference.mutationCount();
        INSTALL_AND_COMMIT.run(new SlotInstaller(reference, fresh));
        int ops = reference.mutationCount() - before;
        int activated = 0;
        for (int k = 0; k <= ops; k++) {
            CrashingStorage s = new CrashingStorage();
            s.createDirectories(fresh.getParent());
            s.syncAll();
            s.cutAt(k);
            try {
                INSTALL_AND_COMMIT.run(new SlotInstaller(s, fresh));
            } catch (BundleRejected | IOException e) {
                assertTrue(s.isDown(), "failed without a power cut: " + e);
            }
            s.powerCut();
            SlotInstaller i = new SlotInstaller(s, fresh);
            i.recover();
            Optional<ActiveSlot> active = i.active(APP);
            if (k == ops) {
                assertEquals(Mark.GOOD, active.orElseThrow().mark(), "no cut: committed");
                assertEquals(2, i.floor(APP));
            }
            if (active.isPresent()) {
                assertTrue(Payloads.sameTree(s, active.get().dir(), NEW), "cut before op " + k + ": the active slot is whole");
                assertTrue(active.get().mark() == Mark.TRIAL || active.get().mark() == Mark.GOOD, "cut before op " + k);
                activated++;
            } else {
                assertEquals(0, i.floor(APP), "cut before op " + k);
            }
        }
        assertTrue(ops > 30, "a first install into a new folder has more than 30 cut points: " + ops);
        assertTrue(activated > 1 && activated < ops, "the new slot is active after some cuts, not all: " + activated);
    }

    private static CrashingStorage cutThenPowerCut(int k) throws Exception {
        CrashingStorage s = twin(true);
        s.cutAt(k);
        assertTrue(runUntilCut(s, INSTALL_AND_COMMIT), "cut before op " + k);
        s.powerCut();
        return s;
    }

    /** Runs the flow once to list its operations, then cuts before each one in every mode. */
    private int coverEveryCut(String name, boolean withOld, Flow flow, boolean monotonic) throws Exception {
        CrashingStorage reference = twin(withOld);
        int before = reference.mutationCount();
        flow.run(new SlotInstaller(reference, UPDATES));
        List<String> ops = reference.mutations().subList(before, reference.mutationCount());
        int modes = 1 + SEEDS.length;
        List<Boolean> newActiveWorstCase = new ArrayList<>();
        for (int k = 0; k <= ops.size(); k++) {
            String at = k < ops.size() ? ops.get(k) : "(after the last operation)";
            for (int mode = 0; mode < modes; mode++) {
                CrashingStorage s = twin(withOld);
                s.cutAt(k);
                boolean cut = runUntilCut(s, flow);
                assertEquals(k < ops.size(), cut, "the cut happens exactly before op " + k);
                if (mode == 0) {
                    s.powerCut();
                } else {
                    s.powerCut(SEEDS[mode - 1] * 1000 + k);
                }
                String context = name + ", cut before op " + k + " " + at + ", mode " + mode;
                boolean onNew = checkInvariantAfterRecovery(s, withOld, context);
                if (mode == 0) {
                    newActiveWorstCase.add(onNew);
                }
                finishUpdate(s, context);
            }
        }
        if (monotonic) {
            int switched = newActiveWorstCase.indexOf(true);
            assertTrue(switched > 0, name + ": the new slot becomes active at some cut point");
            assertFalse(newActiveWorstCase.subList(switched, newActiveWorstCase.size()).contains(false),
                    name + ": once durable, activation is never undone by a later cut: " + newActiveWorstCase);
        }
        int covered = ops.size() + 1;
        System.out.printf("%s: covered %d cut points x %d cut modes%n", name, covered, modes);
        return covered;
    }

    private static boolean runUntilCut(CrashingStorage s, Flow flow) throws IOException {
        try {
            flow.run(new SlotInstaller(s, UPDATES));
            return false;
        } catch (BundleRejected | IOException e) {
            if (!s.isDown()) {
                fail("failed without a power cut", e);
            }
            return true;
        }
    }

    /** Recovers on a fresh installer and checks the invariant; returns whether the new version is active. */
    private static boolean checkInvariantAfterRecovery(CrashingStorage s, boolean withOld, String context)
            throws IOException {
        SlotInstaller i = new SlotInstaller(s, UPDATES);
        i.recover();
        long floor = i.floor(APP);
        Optional<ActiveSlot> active = i.active(APP);
        assertTrue(floor >= (withOld ? 1 : 0), context + ": floor never lowered, is " + floor);
        if (active.isEmpty()) {
            assertFalse(withOld, context + ": the old version must stay active");
            assertEquals(0, floor, context);
            return false;
        }
        ActiveSlot a = active.get();
        boolean onNew = a.version() == NEW_M.version();
        if (!onNew) {
            assertTrue(withOld && a.version() == OLD_M.version(), context + ": active version " + a.version());
            assertEquals(Mark.GOOD, a.mark(), context + ": the old slot is good");
        }
        assertTrue(Payloads.sameTree(s, a.dir(), onNew ? NEW : OLD),
                context + ": the active slot " + a.slot() + " holds exactly version " + a.version()
                        + ", found " + Payloads.tree(s, a.dir()).keySet());
        assertTrue(a.mark() == Mark.GOOD || a.mark() == Mark.TRIAL, context + ": mark " + a.mark());
        if (a.mark() == Mark.GOOD) {
            assertEquals(a.version(), floor, context + ": a committed slot's floor");
        }
        return onNew;
    }

    /** After recovery the update can always be completed: commit a resumed trial, or install again. */
    private static void finishUpdate(CrashingStorage s, String context) throws Exception {
        SlotInstaller i = new SlotInstaller(s, UPDATES);
        Optional<ActiveSlot> active = i.active(APP);
        if (active.isEmpty() || active.get().version() != NEW_M.version()) {
            i.install(NEW_M, Payloads.stream(NEW_M, NEW), 0);
        }
        if (i.active(APP).orElseThrow().mark() == Mark.TRIAL) {
            i.commit(APP);
        }
        ActiveSlot done = i.active(APP).orElseThrow();
        assertEquals(NEW_M.version(), done.version(), context);
        assertEquals(NEW_M.version(), i.floor(APP), context);
        assertTrue(Payloads.sameTree(s, done.dir(), NEW), context + ": finished update holds the new version");
    }
}
