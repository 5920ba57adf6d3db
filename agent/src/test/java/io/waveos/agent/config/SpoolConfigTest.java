package io.waveos.agent.config;

import static io.waveos.agent.config.TelemetryConfigTest.assertProblem;
import static io.waveos.agent.config.TelemetryConfigTest.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The spool section of agent.yaml. */
class SpoolConfigTest {

    @Test
    void defaultsToABatchedSpoolUnderTheLogFolderWithoutOutputFiles() throws ConfigException {
        SpoolConfig s = parse("").spool();
        assertTrue(s.enabled());
        assertEquals(Path.of("/var/log/w/spool"), s.dir());
        assertEquals(SpoolConfig.Durability.BATCH, s.durability());
        assertEquals(64L << 20, s.maxTotalBytes());
        assertFalse(s.keepOutputFiles());
        assertEquals(List.of(), s.forward());
    }

    @Test
    void anOutputSectionKeepsTheOutputFilesBesideTheSpool() throws ConfigException {
        assertTrue(parse("output: {max_file_size: 64KiB, keep: 1}\n").spool().keepOutputFiles());
    }

    @Test
    void readsEveryKey() throws ConfigException {
        SpoolConfig s = parse("""
                spool:
                  enabled: true
                  dir: /data/spool
                  durability: always
                  batch_records: 10
                  batch_interval: 50ms
                  segment_size: 1MiB
                  segment_age: 10m
                  max_total_size: 8MiB
                  max_age: 48h
                  max_line: 4KiB
                  queue_size: 256KiB
                  forward:
                    - {name: tail, file: /data/forward.jsonl}
                    - {name: central, url: "http://10.0.0.1:8080/logs", batch_records: 100, timeout: 5s}
                """).spool();
        assertEquals(new SpoolConfig(true, Path.of("/data/spool"), SpoolConfig.Durability.ALWAYS, 10,
                Duration.ofMillis(50), 1 << 20, Duration.ofMinutes(10), 8 << 20, Duration.ofHours(48), 4096,
                256 << 10, false, List.of(
                        new ForwardConfig("tail", Optional.of(Path.of("/data/forward.jsonl")), Optional.empty(), 500,
                                Duration.ofSeconds(10)),
                        new ForwardConfig("central", Optional.empty(), Optional.of(URI.create("http://10.0.0.1:8080/logs")),
                                100, Duration.ofSeconds(5)))), s);
    }

    @Test
    void anUnknownDurabilityIsRejectedWithFileLineAndKey() {
        assertProblem("spool:\n  durability: sometimes\n", "agent.yaml:8: spool.durability:",
                "expected always, batch or none");
    }

    @Test
    void aTotalCapBelowTwoSegmentsIsRejectedAtTheSection() {
        assertProblem("spool: {segment_size: 4MiB, max_total_size: 6MiB}\n", "agent.yaml:7: spool:",
                "max_total_size must be at least twice segment_size");
    }

    @Test
    void aForwardTargetNeedsExactlyOneOfFileAndUrl() {
        assertProblem("spool:\n  forward:\n    - {name: a}\n", "agent.yaml:9: spool.forward[0]:",
                "exactly one of file and url");
        assertProblem("spool:\n  forward:\n    - {name: a, url: \"ftp://x/\"}\n", "agent.yaml:9: spool.forward[0].url:",
                "http:// or https://");
    }

    @Test
    void anUnknownKeyAndAMaxLineOutOfRangeNameTheirKeys() {
        assertProblem("spool: {segment: 1MiB}\n", "agent.yaml:7: spool.segment:", "");
        assertProblem("spool:\n  max_line: 2MiB\n", "agent.yaml:8: spool.max_line:", "must be in [64B, 1MiB]");
    }
}
