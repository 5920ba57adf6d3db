package io.waveos.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.config.AgentConfig;
import io.waveos.agent.config.EvidenceConfig;
import io.waveos.agent.config.TelemetryConfig;
import io.waveos.agent.evidence.EvidenceArchive;
import io.waveos.agent.evidence.Incident;
import io.waveos.agent.evidence.IncidentKind;
import io.waveos.agent.evidence.PackVerifier;
import io.waveos.agent.platform.ProcessMetrics;
import io.waveos.agent.platform.fake.FakeProcessMetrics;
import io.waveos.agent.platform.fake.FakeStorage;
import io.waveos.agent.platform.fake.FakeSystemMetrics;
import io.waveos.agent.platform.fake.QueuedWorker;
import io.waveos.agent.telemetry.EventCode;
import io.waveos.agent.telemetry.MetricKey;
import io.waveos.agent.telemetry.MetricsCsv;
import io.waveos.agent.telemetry.Redaction;
import io.waveos.agent.telemetry.Sample;
import io.waveos.bundles.archive.TarMember;
import io.waveos.bundles.archive.TarReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Sampling, metrics.csv and evidence packs on the real agent, in virtual time. */
class TelemetryAndEvidenceTest {
    static final Path RUN = Path.of("/logs/runs/20261122T050000Z-1");
    static final Path EVIDENCE = Path.of("/logs/evidence");

    final FakeStorage storage = new FakeStorage();
    final FakeSystemMetrics system = new FakeSystemMetrics();
    final FakeProcessMetrics processes = new FakeProcessMetrics();
    final QueuedWorker worker = new QueuedWorker();
    final AgentHarness h;
    final AgentTelemetry telemetry;
    final List<Sample> samples = new ArrayList<>();

    TelemetryAndEvidenceTest() throws IOException {
        Redaction redaction = Redaction.none();
        AgentConfig config = TestConfigs.agent(TestConfigs.fragile("modem"), TestConfigs.service("ui"));
        h = new AgentHarness(config);
        storage.createDirectories(RUN);
        storage.writeAtomically(RUN.resolve("run_meta.json"), "{\"run_id\":\"20261122T050000Z-1\"}\n"
                .getBytes(StandardCharsets.UTF_8));
        TelemetryConfig tc = new TelemetryConfig(true, Duration.ofSeconds(1), Duration.ofMinutes(1), 8192, 2);
        EvidenceConfig ec = new EvidenceConfig(true, EVIDENCE, Path.of("/state/evidence_key.pem"), 64 * 1024,
                256 * 1024, 3, Optional.of(Duration.ofHours(24)), Duration.ofMinutes(10), Duration.ofMinutes(15),
                4096);
        AgentTelemetry.Ports ports = new AgentTelemetry.Ports(system, processes, storage, worker, h.time, h.time,
                h.time, h.loop::submit, () -> 1_000_000, () -> 32_000_000);
        telemetry = new AgentTelemetry(tc, ports, Optional.of(RUN.resolve("metrics.csv")), ec,
                new EvidenceArchive.Run("test-device", "20261122T050000Z-1", RUN.resolve("run_meta.json"),
                        RUN.resolve("events.jsonl"), Path.of("/logs/services"),
                        () -> Map.of("agent", "test", "config_sha256", "0".repeat(64)), redaction));
        h.agent.attachTelemetry(telemetry);
        h.agent.onSamples(samples::add);
    }

    private long pid(String service) {
        return h.agent.supervisor().service(service).orElseThrow().process().orElseThrow().pid();
    }

    @Test
    void samplesEverySecondAndHandsEachSampleToTheListeners() {
        h.start();
        processes.set(pid("modem"), new ProcessMetrics.Figures(100, 50_000_000, 3, Optional.of(12), 7));
        system.addCpu(10, 100);
        h.advance(Duration.ofSeconds(1));
        processes.set(pid("modem"), new ProcessMetrics.Figures(150, 52_000_000, 3, Optional.of(12), 7));
        system.addCpu(25, 100);
        h.advance(Duration.ofSeconds(1));

        assertEquals(2, samples.size());
        Sample second = samples.get(1);
        // 50 ticks of 1/100 s in one second: half a core.
        assertEquals(500.0, value(second, "service:modem:cpu_permille"));
        assertEquals(52_000_000.0, value(second, "service:modem:rss_bytes"));
        assertEquals(0.0, value(second, "service:modem:restarts_total"));
        assertEquals(250.0, value(second, "system::cpu_permille"));
        assertEquals((double) (1L << 29), value(second, "system::mem_used_bytes"));
        assertEquals((double) (1L << 29), value(second, "system::mem_available_bytes"));
        assertEquals(0.0, value(second, "agent::event_loop_lag_ms"));
        assertEquals(1_000_000.0, value(second, "agent::heap_used_bytes"));
        assertFalse(second.values().containsKey(MetricKey.parse("service:ui:rss_bytes")),
                "a process without figures has none, never 0");
        assertFalse(samples.get(0).values().containsKey(MetricKey.parse("system::cpu_permille")),
                "a rate needs two readings");
    }

    @Test
    void writesMetricsCsvEveryWriteIntervalAndItSurvivesAPowerCut() throws IOException {
        h.start();
        h.advance(Duration.ofSeconds(30));
        worker.runAll();
        assertFalse(storage.exists(RUN.resolve("metrics.csv")), "nothing is written before the write interval");
        h.advance(Duration.ofSeconds(30));
        worker.runAll();
        storage.powerLoss();

        String csv = new String(storage.read(RUN.resolve("metrics.csv")).orElseThrow(), StandardCharsets.US_ASCII);
        String[] lines = csv.split("\n");
        assertEquals(MetricsCsv.HEADER, lines[0]);
        assertTrue(csv.contains(",service,modem,restarts_total,0\n"), csv.substring(0, 300));
        assertTrue(csv.endsWith("\n"));
        for (int i = 1; i < lines.length; i++) {
            assertEquals(6, lines[i].split(",", -1).length, lines[i]);
        }
    }

    @Test
    void aCrashLoopProducesAVerifiableSignedPackWithTheServiceLogs() throws IOException {
        storage.createDirectories(Path.of("/logs/services"));
        storage.writeAtomically(Path.of("/logs/services/modem.stderr.log"),
                "modem: lost carrier\nmodem: giving up\n".getBytes(StandardCharsets.UTF_8));
        h.start();
        h.advance(Duration.ofSeconds(3));
        h.crashRepeatedly("modem", 3);
        worker.runAll();
        h.loop.submit(new LoopEvent.WatchdogTick()); // lets the loop handle the worker's report

        List<String> packs = EvidenceArchive.packFiles(storage, EVIDENCE);
        assertEquals(1, packs.size(), packs.toString());
        assertTrue(packs.get(0).endsWith("-crash_loop.tar"), packs.get(0));
        byte[] pack = storage.read(EVIDENCE.resolve(packs.get(0))).orElseThrow();
        PackVerifier.Verified v = assertInstanceOf(PackVerifier.Verified.class,
                PackVerifier.verify(pack, Optional.empty()));
        assertEquals("crash_loop", v.kind());
        assertEquals("modem", v.subject());
        assertTrue(members(pack).containsAll(List.of("pack.dsse.json", "run_meta.json", "events.jsonl",
                "decisions.jsonl", "logs/modem.stderr.log", "metrics.csv")), members(pack).toString());
        assertTrue(storage.isPrivate(Path.of("/state/evidence_key.pem")));
        assertEquals(1, h.eventsWith(EventCode.EVIDENCE_PACK_WRITTEN).size());
    }

    @Test
    void aPolicyRuleOnASampledFigureFiresAndItsNotifyBecomesASignedPackWithTheDecision() throws IOException {
        storage.createDirectories(Path.of("/etc"));
        storage.writeAtomically(Path.of("/etc/policy.yaml"), ("policy_version: 4\nrules:\n  - id: modem-fat\n"
                + "    when: {threshold: {metric: \"service:modem:rss_bytes\", above: 200MiB, for: 3s}}\n"
                + "    notify: {services: [modem]}\n").getBytes(StandardCharsets.UTF_8));
        AgentPolicy policy = new AgentPolicy(h.agent, h.time, Optional.of(new io.waveos.agent.policy.PolicySource(
                new io.waveos.agent.config.PolicyConfig(Optional.of(Path.of("/etc/policy.yaml")), Optional.empty(),
                        "policy.yaml"), storage, component -> Optional.empty())),
                new AgentPolicy.Ports(h.agent.incidents(), new io.waveos.agent.platform.fake.FakeProcessPriority(),
                        io.waveos.agent.platform.ResourceLimits.none("test"), h.launcher::signalGroup, h.time,
                        step -> h.loop.submit(new LoopEvent.ForPolicy(step))));
        h.agent.onSamples(policy::onSample);
        policy.load();
        h.start();
        processes.set(pid("modem"), new ProcessMetrics.Figures(1, 300L << 20, 3, Optional.of(12), 7));
        h.advance(Duration.ofSeconds(2));
        assertTrue(h.eventsWith(EventCode.POLICY_DECISION).isEmpty(), "above the threshold for less than 3 s: " + h.eventsWith(EventCode.POLICY_DECISION));
        h.advance(Duration.ofSeconds(3));
        assertEquals("modem-fat", h.last(EventCode.POLICY_DECISION).fields().get("rule"));
        worker.runAll();
        h.loop.submit(new LoopEvent.WatchdogTick());

        List<String> packs = EvidenceArchive.packFiles(storage, EVIDENCE);
        assertEquals(1, packs.size(), packs.toString());
        byte[] pack = storage.read(EVIDENCE.resolve(packs.get(0))).orElseThrow();
        PackVerifier.Verified v = assertInstanceOf(PackVerifier.Verified.class,
                PackVerifier.verify(pack, Optional.empty()));
        assertEquals("policy_notify", v.kind());
        assertEquals("modem-fat", v.subject(), "the pack names the rule");
    }

    @Test
    void theSameIncidentWithinTheMinimumIntervalMakesOnePack() throws IOException {
        h.start();
        h.agent.incidents().report(new Incident(IncidentKind.BREAKER_TRIP, "rule-1", "tripped", List.of()));
        h.agent.incidents().report(new Incident(IncidentKind.BREAKER_TRIP, "rule-1", "tripped again", List.of()));
        h.agent.incidents().report(new Incident(IncidentKind.POLICY_NOTIFY, "rule-2", "notify", List.of()));
        worker.runAll();
        assertEquals(2, EvidenceArchive.packFiles(storage, EVIDENCE).size());
    }

    @Test
    void keepsAtMostTheConfiguredNumberOfPacksDroppingTheOldest() throws IOException {
        h.start();
        for (int i = 0; i < 5; i++) {
            h.agent.incidents().report(new Incident(IncidentKind.POLICY_NOTIFY, "rule-" + i, "notify", List.of()));
            worker.runAll();
        }
        List<String> packs = EvidenceArchive.packFiles(storage, EVIDENCE);
        assertEquals(3, packs.size(), packs.toString());
        assertTrue(packs.get(0).contains("-1-3-"), packs.toString());
    }

    @Test
    void enteringSafeModeProducesAPack() throws IOException {
        h.start();
        h.agent.handle(new LoopEvent.Emit(io.waveos.agent.telemetry.Event.of(EventCode.MODE_CHANGED, "mode",
                "essential service failed", "from", "NORMAL", "to", "SAFE")));
        worker.runAll();
        assertTrue(EvidenceArchive.packFiles(storage, EVIDENCE).get(0).endsWith("-safe_mode.tar"));
    }

    @Test
    void serviceFiguresFollowStartsAndExitsFromTheEvents() {
        h.start();
        h.advance(Duration.ofSeconds(5));
        h.crash("modem", 3);
        h.advance(Duration.ofSeconds(1));
        Sample afterExit = samples.get(samples.size() - 1);
        assertEquals(1.0, value(afterExit, "service:modem:exits_total"));
        assertEquals(3.0, value(afterExit, "service:modem:last_exit_code"));
        assertEquals(1.0, value(afterExit, "service:modem:error_events_per_min"));
        assertEquals(5_000.0, value(afterExit, "service:ui:uptime_ms") - 1_000.0);
        h.advance(Duration.ofSeconds(120));
        Sample later = samples.get(samples.size() - 1);
        assertEquals(0.0, value(later, "service:modem:error_events_per_min"), "errors leave the one-minute window");
        assertEquals(1.0, value(later, "service:modem:restarts_total"));
    }

    @Test
    void aScheduledPackIsMadeEveryScheduleInterval() throws IOException {
        h.start();
        h.advance(Duration.ofHours(24));
        worker.runAll();
        List<String> packs = EvidenceArchive.packFiles(storage, EVIDENCE);
        assertEquals(1, packs.size());
        assertTrue(packs.get(0).endsWith("-scheduled.tar"));
        byte[] pack = storage.read(EVIDENCE.resolve(packs.get(0))).orElseThrow();
        assertTrue(pack.length <= 64 * 1024, "the pack cap holds: " + pack.length);
        String csv = member(pack, "metrics.csv");
        assertTrue(csv.startsWith(MetricsCsv.HEADER + "\n"));
        assertTrue(csv.contains("2026-11-23T04:59:59.000Z,"), "the newest sample is kept when the window is cut");
        // the 15 minute window at one sample a second is what packs draw from
        assertTrue(Math.abs(telemetry.window().size() - 901) <= 1, "window " + telemetry.window().size());
    }

    @Test
    void aWatchdogResetOfThePreviousRunProducesAPackAtStart() throws IOException {
        telemetry.evidence().orElseThrow().previousRun("watchdog_reset", "watchdog boot status 0x20");
        telemetry.evidence().orElseThrow().previousRun("clean_shutdown", "clean");
        worker.runAll();
        List<String> packs = EvidenceArchive.packFiles(storage, EVIDENCE);
        assertEquals(1, packs.size());
        assertTrue(packs.get(0).endsWith("-watchdog_reset.tar"));
    }

    @Test
    void aResetByTheGuardianReportedByItsWitnessProducesAPack() throws IOException {
        h.start();
        h.agent.sink().emit(io.waveos.agent.telemetry.Event.of(EventCode.COMPANION_RESET_WITNESS, "companion",
                "the Guardian reports what it saw", "missed_heartbeats", 5, "guardian_reset_device", false,
                "power_loss", false));
        worker.runAll();
        assertEquals(List.of(), EvidenceArchive.packFiles(storage, EVIDENCE), "no reset by the Guardian: no pack");
        h.agent.sink().emit(io.waveos.agent.telemetry.Event.of(EventCode.COMPANION_RESET_WITNESS, "companion",
                "the Guardian reports what it saw", "missed_heartbeats", 5, "guardian_reset_device", true,
                "power_loss", false));
        worker.runAll();
        assertTrue(EvidenceArchive.packFiles(storage, EVIDENCE).get(0).endsWith("-guardian_reset.tar"));
    }

    @Test
    void aRollbackPackCarriesTheUpdateEvidenceFile() throws IOException {
        Path file = EVIDENCE.resolve("2026-11-22T050000.000Z-rollback-app.json");
        storage.createDirectories(EVIDENCE);
        storage.writeAtomically(file, "{\"kind\":\"rollback\",\"criterion\":\"must-be-ready\"}\n"
                .getBytes(StandardCharsets.UTF_8));
        h.start();
        h.agent.sink().emit(io.waveos.agent.telemetry.Event.of(EventCode.EVIDENCE_WRITTEN, "app", "evidence of rollback",
                "file", file.toString()));
        h.agent.sink().emit(io.waveos.agent.telemetry.Event.of(EventCode.UPDATE_ROLLED_BACK, "app",
                "trial failed: must-be-ready"));
        worker.runAll();
        List<String> packs = EvidenceArchive.packFiles(storage, EVIDENCE);
        assertEquals(1, packs.size());
        byte[] pack = storage.read(EVIDENCE.resolve(packs.get(0))).orElseThrow();
        assertTrue(member(pack, "update/2026-11-22T050000.000Z-rollback-app.json").contains("must-be-ready"));
    }

    @Test
    void anOperatorExportIsAnsweredWithThePackWritten() throws Exception {
        h.start();
        var reply = new java.util.concurrent.CompletableFuture<String>();
        h.loop.submit(new LoopEvent.Control("evidence export", "alice", reply));
        assertFalse(reply.isDone(), "answered only when the pack is written");
        worker.runAll();
        String answer = reply.get();
        assertTrue(answer.startsWith("ok /logs/evidence/evpack-") && answer.endsWith("-operator.tar\n"), answer);
    }

    static String member(byte[] pack, String name) throws IOException {
        try {
            TarReader r = new TarReader(new ByteArrayInputStream(pack), pack.length);
            for (Optional<TarMember> m = r.next(); m.isPresent(); m = r.next()) {
                if (m.get().name().equals(name)) {
                    return new String(r.content().readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        } catch (io.waveos.bundles.BundleRejected e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no member " + name);
    }

    static double value(Sample s, String key) {
        return s.get(MetricKey.parse(key)).orElseThrow(() -> new AssertionError("no " + key + " in " + s.values()));
    }

    static List<String> members(byte[] pack) throws IOException {
        List<String> names = new ArrayList<>();
        try {
            TarReader r = new TarReader(new ByteArrayInputStream(pack), pack.length);
            for (Optional<TarMember> m = r.next(); m.isPresent(); m = r.next()) {
                names.add(m.get().name());
            }
        } catch (io.waveos.bundles.BundleRejected e) {
            throw new AssertionError(e);
        }
        return names;
    }
}
