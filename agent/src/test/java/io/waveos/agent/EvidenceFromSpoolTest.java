package io.waveos.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.config.SpoolConfig;
import io.waveos.agent.config.EvidenceConfig;
import io.waveos.agent.config.TelemetryConfig;
import io.waveos.agent.evidence.EvidenceArchive;
import io.waveos.agent.platform.fake.FakeProcessMetrics;
import io.waveos.agent.platform.fake.FakeStorage;
import io.waveos.agent.platform.fake.FakeSystemMetrics;
import io.waveos.agent.platform.fake.QueuedWorker;
import io.waveos.agent.telemetry.Redaction;
import java.nio.file.Path;
import java.util.Map;
import io.waveos.agent.spool.SpoolCounters;
import io.waveos.agent.spool.SpoolWriter;
import io.waveos.agent.spool.Stream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Evidence packs take their log tails from the spool. */
class EvidenceFromSpoolTest {
    static final Path SPOOL = Path.of("/logs/spool");
    static final Path RUN = TelemetryAndEvidenceTest.RUN;

    private final FakeStorage storage = new FakeStorage();
    private final QueuedWorker worker = new QueuedWorker();
    private final AgentHarness h;

    EvidenceFromSpoolTest() throws IOException {
        h = new AgentHarness(TestConfigs.agent(TestConfigs.fragile("modem"), TestConfigs.service("ui")));
        storage.createDirectories(RUN);
        storage.writeAtomically(RUN.resolve("run_meta.json"), "{}\n".getBytes(StandardCharsets.UTF_8));
        EvidenceConfig ec = new EvidenceConfig(true, TelemetryAndEvidenceTest.EVIDENCE, Path.of("/state/key.pem"),
                64 * 1024, 256 * 1024, 3, Optional.of(Duration.ofHours(24)), Duration.ofMinutes(10),
                Duration.ofMinutes(15), 4096);
        AgentTelemetry.Ports ports = new AgentTelemetry.Ports(new FakeSystemMetrics(), new FakeProcessMetrics(), storage,
                worker, h.time, h.time, h.time, h.loop::submit, () -> 1_000_000, () -> 32_000_000);
        h.agent.attachTelemetry(new AgentTelemetry(new TelemetryConfig(true, Duration.ofSeconds(1),
                Duration.ofMinutes(1), 8192, 2), ports, Optional.of(RUN.resolve("metrics.csv")), ec,
                new EvidenceArchive.Run("test-device", "run-1", RUN.resolve("run_meta.json"), RUN.resolve("events.jsonl"),
                        Path.of("/logs/services"), () -> Map.of("agent", "test"), Redaction.none(), Optional.of(SPOOL))));
    }

    @Test
    void aCrashLoopPackCarriesTheServicesLastLinesFromTheSpool() throws IOException {
        EvidenceFromSpoolTest t = this;
        SpoolWriter w = SpoolWriter.open(t.storage, new SpoolConfig(true, SPOOL,
                SpoolConfig.Durability.ALWAYS, 1, Duration.ofMillis(100), 4096, Duration.ofHours(1), 1 << 20,
                Duration.ofDays(1), 1024, 1 << 16, false), t.h.time, t.h.time, e -> { }, new SpoolCounters());
        for (int i = 0; i < 200; i++) { // more than the 4 KiB tail, over several segments
            w.append("modem", Stream.STDERR, 0, ("modem: lost carrier " + i).getBytes(StandardCharsets.UTF_8));
            w.append("ui", Stream.STDERR, 0, ("ui: unrelated " + i).getBytes(StandardCharsets.UTF_8));
        }
        w.append("modem", Stream.STDOUT, 0, "modem: giving up".getBytes(StandardCharsets.UTF_8));
        w.close();

        t.h.start();
        t.h.advance(Duration.ofSeconds(3));
        t.h.crashRepeatedly("modem", 3);
        t.worker.runAll();
        List<String> packs = EvidenceArchive.packFiles(t.storage, TelemetryAndEvidenceTest.EVIDENCE);
        assertEquals(1, packs.size(), packs.toString());
        byte[] pack = t.storage.read(TelemetryAndEvidenceTest.EVIDENCE.resolve(packs.get(0))).orElseThrow();
        String stderr = TelemetryAndEvidenceTest.member(pack, "logs/modem.stderr.log");
        assertTrue(stderr.length() <= 4096 && stderr.length() > 3000, "about log_tail bytes: " + stderr.length());
        assertTrue(stderr.endsWith(" modem stderr 398 | modem: lost carrier 199\n"), stderr);
        assertFalse(stderr.contains("ui: unrelated"), "only the involved service");
        assertTrue(stderr.lines().allMatch(l -> l.contains(" modem stderr ")), "whole lines only");
        assertTrue(TelemetryAndEvidenceTest.member(pack, "logs/modem.stdout.log").endsWith("| modem: giving up\n"));
    }
}
