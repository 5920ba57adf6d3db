package io.waveos.agent;

import static io.waveos.agent.TestConfigs.agent;
import static io.waveos.agent.TestConfigs.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.config.CompanionConfig.Approval;
import io.waveos.agent.config.UpdatesConfig;
import io.waveos.agent.platform.fake.FakeApprovals;
import io.waveos.agent.platform.fake.QueuedWorker;
import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.EventCode;
import io.waveos.agent.update.Updater;
import io.waveos.bundles.install.SlotInstaller;
import io.waveos.bundles.json.Json;
import io.waveos.bundles.platform.CrashingStorage;
import io.waveos.bundles.trust.Role;
import io.waveos.bundles.trust.TrustRoot;
import io.waveos.bundles.trust.TrustRootFile;
import io.waveos.bundles.trust.TrustedKey;
import io.waveos.bundles.vectors.TestBundles;
import io.waveos.bundles.vectors.TestKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The update capability end to end in virtual time: the real agent, supervisor, verifier and slot
 * installer over the crash-simulating storage; bundles made with the test vectors' keys.
 */
class UpdaterTest {
    private static final Path ROOT_FILE = Path.of("/etc/waveos/trust/root.json");
    private static final Path INBOX = Path.of("/state/inbox");
    private static final Path UPDATES = Path.of("/state/updates");

    private final CrashingStorage files = new CrashingStorage();
    private final QueuedWorker worker = new QueuedWorker();
    private final FakeApprovals approvals = new FakeApprovals();
    private AgentHarness h;

    UpdaterTest() throws Exception {
        TrustRoot root = new TrustRoot(1, Instant.parse("2036-01-01T00:00:00Z"), List.of(
                TrustedKey.of(TestKeys.A.getPublic(), Set.of(Role.ROOT, Role.APP, Role.CONFIG, Role.CERTS))),
                Map.of(Role.ROOT, 1, Role.APP, 1, Role.CONFIG, 1, Role.CERTS, 1));
        files.createDirectories(ROOT_FILE.getParent());
        files.writeAtomically(ROOT_FILE, TrustRootFile.write(TrustRootFile.unsigned(root).signedWith(TestKeys.A)));
        files.createDirectories(INBOX);
        files.syncAll();
    }

    private void boot() {
        h = new AgentHarness(agent(service("db")), approvals);
        UpdatesConfig cfg = new UpdatesConfig(ROOT_FILE, INBOX, "gw-100", 1L << 30, 0, Duration.ofSeconds(5));
        h.agent.attachUpdater(new Updater(cfg, "0.1.0", Path.of("/state"), Path.of("/logs/evidence"),
                new Updater.Ports(files, worker, h.time, h.time, h.time, h.events::add,
                        in -> h.loop.submit(new LoopEvent.ForUpdater(in)), approvals), h.agent.updateHost()));
        h.start();
    }

    /** An app bundle of component "app" running service "web" from bin/web, with a 10 s trial. */
    private static byte[] appBundle(long version, int maxRestarts) {
        Map<String, byte[]> payload = new LinkedHashMap<>();
        payload.put("bin/web", ("#!/bin/sh\necho web " + version + "\n").getBytes(StandardCharsets.UTF_8));
        Map<String, Object> m = TestBundles.manifest("app", "app", version, payload);
        m.put("services", List.of(Map.of("name", "web", "command", List.of("bin/web", "--version", "" + version),
                "depends_on", List.of("db"))));
        m.put("trial", Map.of("soak_seconds", 10L, "must_be_ready", List.of("web"), "max_restarts", (long) maxRestarts));
        return TestBundles.bundle(m, List.of(TestKeys.A), payload);
    }

    private void drop(String name, byte[] bundle) throws Exception {
        files.writeAtomically(INBOX.resolve(name), bundle);
    }

    /** One inbox scan and every worker job it leads to. */
    private void scanAndRun() {
        h.advance(Duration.ofSeconds(5));
        while (worker.runAll() > 0) {
            h.time.runDue();
        }
    }

    private List<String> updateCodes() {
        return h.events.stream().map(e -> e.code().wire()).filter(c -> c.startsWith("update.")).toList();
    }

    @Test
    void installsRunsTheTrialAndReportsSuccessOnlyAfterTheCommit() throws Exception {
        boot();
        drop("app-2.wbundle", appBundle(2, 1));
        scanAndRun();
        assertEquals(List.of("/state/updates/components/app/a/bin/web", "--version", "2"), h.launcher.lastCommand("web"));
        assertFalse(updateCodes().contains("update.committed"), "success reported before the trial");
        h.advance(Duration.ofSeconds(11));
        assertEquals(List.of("update.recovered", "update.received", "update.installing", "update.activated",
                "update.committed"), updateCodes());
        assertEquals(2L, new SlotInstaller(files, UPDATES).floor("app"));
        assertFalse(files.exists(INBOX.resolve("app-2.wbundle")), "installed bundle left in the inbox");
        assertEquals(List.of("INSTALL", "COMMIT"), approvals.asked().stream().map(a -> a.split(":")[0]).toList());
    }

    @Test
    void rollsBackACrashLoopingReleaseToThePreviousSlotWithEvidence() throws Exception {
        boot();
        drop("app-2.wbundle", appBundle(2, 1));
        scanAndRun();
        h.advance(Duration.ofSeconds(11));
        drop("app-3.wbundle", appBundle(3, 1));
        scanAndRun();
        assertEquals("/state/updates/components/app/b/bin/web", h.launcher.lastCommand("web").get(0));
        h.crash("web", 1);
        h.crash("web", 1);
        h.advance(Duration.ofSeconds(1)); // the trial is judged every second
        Event rb = h.last(EventCode.UPDATE_ROLLED_BACK);
        assertEquals("too-many-restarts", rb.fields().get("criterion"));
        assertEquals("a", rb.fields().get("restored_slot"));
        assertEquals(List.of("/state/updates/components/app/a/bin/web", "--version", "2"), h.launcher.lastCommand("web"));
        assertEquals(2L, new SlotInstaller(files, UPDATES).floor("app"), "the floor moved without a commit");
        String evidence = h.last(EventCode.EVIDENCE_WRITTEN).fields().get("file").toString();
        Map<String, Object> doc = Json.parseObject(files.read(Path.of(evidence)).orElseThrow());
        assertEquals("too-many-restarts", doc.get("criterion"));
        assertEquals("2", ((Map<?, ?>) doc.get("data")).get("restarts"));
    }

    @Test
    void rollingBackAFirstInstallRemovesItsServices() throws Exception {
        boot();
        drop("app-2.wbundle", appBundle(2, 0));
        scanAndRun();
        h.crash("web", 1);
        h.advance(Duration.ofSeconds(1));
        assertEquals("too-many-restarts", h.last(EventCode.UPDATE_ROLLED_BACK).fields().get("criterion"));
        assertTrue(h.agent.supervisor().service("web").isEmpty());
        assertTrue(h.launcher.isRunning("db"));
    }

    @Test
    void rollsBackWhenTheDeviceEntersSafeModeDuringTheTrial() throws Exception {
        boot();
        drop("app-2.wbundle", appBundle(2, 1));
        scanAndRun();
        h.agent.guardianOrderedSafe("temperature trend", Duration.ofMinutes(10));
        h.advance(Duration.ofSeconds(1));
        assertEquals("safe-mode", h.last(EventCode.UPDATE_ROLLED_BACK).fields().get("criterion"));
    }

    @Test
    void rollsBackWhenTheGuardianRefusesTheCommit() throws Exception {
        approvals.answer(Approval.COMMIT, false);
        boot();
        drop("app-2.wbundle", appBundle(2, 1));
        scanAndRun();
        h.advance(Duration.ofSeconds(11));
        assertEquals("commit-denied", h.last(EventCode.UPDATE_ROLLED_BACK).fields().get("criterion"));
        assertEquals(0L, new SlotInstaller(files, UPDATES).floor("app"));
    }

    @Test
    void aRefusedInstallWritesNothingAndKeepsTheBundleForTheOperator() throws Exception {
        approvals.answer(Approval.INSTALL, false);
        boot();
        drop("app-2.wbundle", appBundle(2, 1));
        scanAndRun();
        assertEquals("not-approved", h.last(EventCode.UPDATE_REJECTED).fields().get("error"));
        assertTrue(new SlotInstaller(files, UPDATES).active("app").isEmpty());
        assertEquals(List.of("000001-app-2.wbundle"), files.list(INBOX.resolve("rejected")));
    }

    @Test
    void refusesATamperedBundleNamingTheMemberAndRule() throws Exception {
        boot();
        byte[] b = appBundle(2, 1);
        int at = new String(b, StandardCharsets.ISO_8859_1).indexOf("echo web 2");
        b[at] ^= 1; // one bit of the payload's content
        drop("app-2.wbundle", b);
        scanAndRun();
        Event r = h.last(EventCode.UPDATE_REJECTED);
        assertEquals("hash-mismatch", r.fields().get("error"), r.reason());
        assertEquals("payload/bin/web", r.fields().get("member"));
        assertTrue(h.agent.supervisor().service("web").isEmpty());
    }

    @Test
    void refusesARollbackToAnOlderVersion() throws Exception {
        boot();
        drop("app-3.wbundle", appBundle(3, 1));
        scanAndRun();
        h.advance(Duration.ofSeconds(11));
        drop("app-2.wbundle", appBundle(2, 1));
        scanAndRun();
        assertEquals("rollback", h.last(EventCode.UPDATE_REJECTED).fields().get("error"));
    }

    @Test
    void aRestartDuringTheTrialResumesItAndTheStartDefinesTheSlotsServices() throws Exception {
        boot();
        drop("app-2.wbundle", appBundle(2, 1));
        scanAndRun();
        h.advance(Duration.ofSeconds(4));
        files.powerCut();
        boot(); // a new agent on what survived
        assertTrue(h.agent.supervisor().service("web").isPresent(), "slot services not defined at start: " + h.events);
        assertTrue(h.events.stream().anyMatch(e -> e.code() == EventCode.UPDATE_RECOVERED
                && e.reason().contains("trial resumed")), h.codes().toString());
        h.advance(Duration.ofSeconds(11));
        assertEquals(2L, h.last(EventCode.UPDATE_COMMITTED).fields().get("version"));
    }

    @Test
    void aCommitCutBeforeItsFloorWasRaisedIsReportedCommittedWhenTheNextStartCompletesIt() throws Exception {
        boot();
        drop("app-2.wbundle", appBundle(2, 1));
        scanAndRun();
        h.advance(Duration.ofSeconds(4));
        files.cutAt(5); // the commit's state write (create, write, sync, rename, sync the folder), then the floor's
        h.advance(Duration.ofSeconds(7));
        files.powerCut();
        boot();
        assertEquals(2L, new SlotInstaller(files, UPDATES).floor("app"));
        assertTrue(h.events.stream().anyMatch(e -> e.code() == EventCode.UPDATE_RECOVERED
                && e.reason().contains("floor")), h.codes().toString());
        Event committed = h.last(EventCode.UPDATE_COMMITTED);
        assertEquals(2L, committed.fields().get("version"));
        assertEquals("app-2", committed.fields().get("bundle_id"));
        assertEquals(2L, committed.fields().get("floor"));
    }

    @Test
    void withoutATrustRootTheInboxIsLeftAloneAndSaysWhy() throws Exception {
        files.deleteTree(ROOT_FILE);
        boot();
        drop("app-2.wbundle", appBundle(2, 1));
        scanAndRun();
        assertTrue(h.last(EventCode.UPDATE_UNAVAILABLE).reason().contains(ROOT_FILE.toString()));
        assertTrue(files.exists(INBOX.resolve("app-2.wbundle")));
        assertFalse(updateCodes().contains("update.received"));
    }

    @Test
    void anOperatorRollsBackARunningTrialOverTheControlSocket() throws Exception {
        boot();
        drop("app-2.wbundle", appBundle(2, 1));
        scanAndRun();
        java.util.concurrent.CompletableFuture<String> reply = new java.util.concurrent.CompletableFuture<>();
        h.loop.submit(new LoopEvent.Control("update rollback", "uid 0", reply));
        assertEquals("ok rolled back\n", reply.getNow("no answer"));
        Event rb = h.last(EventCode.UPDATE_ROLLED_BACK);
        assertEquals("manual", rb.fields().get("criterion"));
        java.util.concurrent.CompletableFuture<String> again = new java.util.concurrent.CompletableFuture<>();
        h.loop.submit(new LoopEvent.Control("update rollback", "uid 0", again));
        assertTrue(again.getNow("").startsWith("error no trial is running"));
    }

    @Test
    void rotatesTheTrustRootFromTheInboxOnlyWithBothThresholds() throws Exception {
        boot();
        TrustRoot next = new TrustRoot(2, Instant.parse("2036-01-01T00:00:00Z"), List.of(
                TrustedKey.of(TestKeys.B.getPublic(), Set.of(Role.ROOT, Role.APP, Role.CONFIG, Role.CERTS))),
                Map.of(Role.ROOT, 1, Role.APP, 1, Role.CONFIG, 1, Role.CERTS, 1));
        files.writeAtomically(INBOX.resolve("v2.root.json"),
                TrustRootFile.write(TrustRootFile.unsigned(next).signedWith(TestKeys.B)));
        scanAndRun();
        assertEquals("trust-root-invalid", h.last(EventCode.UPDATE_REJECTED).fields().get("error"));
        files.writeAtomically(INBOX.resolve("v2.root.json"),
                TrustRootFile.write(TrustRootFile.unsigned(next).signedWith(TestKeys.B).signedWith(TestKeys.A)));
        scanAndRun();
        assertEquals(2L, h.last(EventCode.TRUST_ROOT_ROTATED).fields().get("trust_root_version"));
        drop("app-2.wbundle", appBundle(2, 1)); // signed by A only, no longer trusted
        scanAndRun();
        assertEquals("threshold-not-met", h.last(EventCode.UPDATE_REJECTED).fields().get("error"));
        boot(); // the rotation is replayed at start
        assertEquals(2L, h.last(EventCode.UPDATE_RECOVERED).fields().get("trust_root_version"));
    }
}
