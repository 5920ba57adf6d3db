package io.waveos.agent.platform.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.config.SpoolConfig;
import io.waveos.agent.fixture.Eventually;
import io.waveos.agent.platform.ExitStatus;
import io.waveos.agent.platform.LaunchSpec;
import io.waveos.agent.platform.ProcessLauncher.RunningProcess;
import io.waveos.agent.platform.Signal;
import io.waveos.agent.spool.Spool;
import io.waveos.agent.spool.SpoolCapture;
import io.waveos.agent.spool.SpoolCounters;
import io.waveos.agent.spool.SpoolReader;
import io.waveos.agent.spool.SpoolRecord;
import io.waveos.agent.spool.SpoolWriter;
import io.waveos.agent.spool.Stream;
import io.waveos.agent.telemetry.Event;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real processes, real pipes, a real spool folder. */
class SpoolCaptureTest {
    private static final Duration BOUND = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final SpoolCounters counters = new SpoolCounters();
    private Spool spool;

    @AfterEach
    void closeSpool() {
        if (spool != null) {
            spool.close(Duration.ofSeconds(10));
        }
    }

    private SpoolCapture capture;

    private SpoolConfig config(SpoolConfig.Durability durability, int maxLine, long queueBytes) {
        return new SpoolConfig(true, dir.resolve("spool"), durability, 64, Duration.ofMillis(50), 1024 * 1024,
                Duration.ofHours(1), 16L * 1024 * 1024, Duration.ofDays(1), maxLine, queueBytes, false);
    }

    private LinuxProcessLauncher launcher(SpoolConfig config) throws Exception {
        SystemClocks clocks = new SystemClocks();
        SpoolWriter writer = SpoolWriter.open(new LinuxStorage(), config, clocks, clocks, events::add, counters);
        spool = Spool.start(writer, config.queueBytes(), counters, events::add, clocks, new DaemonThreads("test-spool"));
        capture = new SpoolCapture(spool, config.maxLineBytes());
        return new LinuxProcessLauncher("spool-test-" + UUID.randomUUID(), capture);
    }

    private static LaunchSpec spec(String service, String script, Path dir) {
        return new LaunchSpec(service, List.of("/bin/sh", "-c", script), Map.of(), Optional.empty(), Optional.empty(),
                Optional.empty(), new LaunchSpec.OutputSpec(dir.resolve("services"), 4096, 1, false));
    }

    private List<SpoolRecord> records(SpoolConfig config) throws Exception {
        SpoolReader reader = new SpoolReader(new LinuxStorage(), config.dir());
        return reader.read(reader.oldest().orElseThrow(), Integer.MAX_VALUE).records();
    }

    @Test
    void capturesLinesOfBothStreamsWithBinaryBytesEnormousLinesAndAPartialLastLine() throws Exception {
        SpoolConfig config = config(SpoolConfig.Durability.ALWAYS, 1024, 1024 * 1024);
        LinuxProcessLauncher launcher = launcher(config);
        String script = "echo hello; printf 'bin\\377\\000\\376\\n'; echo oops >&2;"
                + " head -c 3000 /dev/zero | tr '\\000' x; echo; printf 'no newline'";
        CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
        RunningProcess p = launcher.start(spec("talker", script, dir), exit::complete);
        assertEquals(ExitStatus.code(0), exit.get(BOUND.toSeconds(), TimeUnit.SECONDS));
        ((LinuxProcessLauncher.Started) p).outputClosed().toCompletableFuture().get(BOUND.toSeconds(), TimeUnit.SECONDS);
        spool.close(Duration.ofSeconds(10));

        List<SpoolRecord> all = records(config);
        List<SpoolRecord> out = all.stream().filter(r -> r.stream() == Stream.STDOUT).toList();
        assertEquals("hello", out.get(0).text());
        assertArrayEquals(new byte[] {'b', 'i', 'n', (byte) 0xff, 0, (byte) 0xfe}, out.get(1).payload());
        assertEquals(List.of(1024, 1024, 952), out.subList(2, 5).stream().map(SpoolRecord::payloadLength).toList());
        assertEquals(List.of(SpoolRecord.TRUNCATED, SpoolRecord.TRUNCATED, 0),
                out.subList(2, 5).stream().map(SpoolRecord::flags).toList());
        assertEquals("no newline", out.get(5).text());
        assertEquals(SpoolRecord.PARTIAL, out.get(5).flags());
        assertEquals(List.of("oops"), all.stream().filter(r -> r.stream() == Stream.STDERR).map(SpoolRecord::text).toList());
        assertTrue(all.stream().allMatch(r -> r.service().equals("talker")));
        assertFalse(Files.exists(dir.resolve("services")), "no output files unless asked for");
        for (int i = 1; i < all.size(); i++) {
            assertEquals(all.get(i - 1).sequence() + 1, all.get(i).sequence());
        }
    }

    @Test
    void countsEachServicesErrorLevelLines() throws Exception {
        SpoolConfig config = config(SpoolConfig.Durability.NONE, 1024, 1024 * 1024);
        LinuxProcessLauncher launcher = launcher(config);
        String script = "echo 'INFO up'; echo '[error] disk' >&2; echo 'ERROR modem lost'; echo 'errored: no'";
        CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
        RunningProcess p = launcher.start(spec("modem", script, dir), exit::complete);
        assertEquals(ExitStatus.code(0), exit.get(BOUND.toSeconds(), TimeUnit.SECONDS));
        ((LinuxProcessLauncher.Started) p).outputClosed().toCompletableFuture().get(BOUND.toSeconds(), TimeUnit.SECONDS);
        spool.close(Duration.ofSeconds(10));
        assertEquals(Map.of("modem", 2L), capture.errorLines());
    }

    @Test
    void aFloodingServiceIsNeverBlockedItsExcessLinesAreDroppedAndCounted() throws Exception {
        // fsync per line and a queue of a few lines: the writer cannot keep up with yes(1).
        SpoolConfig config = config(SpoolConfig.Durability.ALWAYS, 64, 512);
        LinuxProcessLauncher launcher = launcher(config);
        CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
        RunningProcess p = launcher.start(spec("flood", "exec yes flood-line", dir), exit::complete);
        Eventually.until(BOUND, () -> counters.snapshot().queueDroppedRecords() > 100_000,
                () -> "the flood keeps flowing past the spool: " + counters.snapshot());
        Eventually.until(BOUND, () -> events.stream().anyMatch(e -> e.code().wire().equals("spool.dropped")),
                () -> "a drop event: " + events);
        launcher.signalGroup(p.identity().pgid(), Signal.KILL);
        exit.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        ((LinuxProcessLauncher.Started) p).outputClosed().toCompletableFuture().get(BOUND.toSeconds(), TimeUnit.SECONDS);
        spool.close(Duration.ofSeconds(10));
        List<SpoolRecord> all = records(config);
        assertTrue(all.stream().anyMatch(r -> r.service().equals("agent")
                && r.text().startsWith("[waveos: spool queue full, dropped ")), "the gap is written into the spool");
        SpoolCounters.Snapshot s = counters.snapshot();
        long flood = all.stream().filter(r -> r.service().equals("flood")).count();
        assertEquals(s.writtenRecords(), all.size(), "every line that got past the queue is in the spool");
        assertTrue(flood > 0 && s.queueDroppedRecords() > flood, s.toString());
        assertEquals(0, s.queuedRecords());
        assertTrue(s.queueDroppedBytes() >= s.queueDroppedRecords() * "flood-line".length());
        assertEquals(new String("flood-line".getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8),
                all.stream().filter(r -> r.service().equals("flood")).findFirst().orElseThrow().text());
    }
}
