package io.waveos.agent.spool;

import io.waveos.agent.config.SpoolConfig;
import io.waveos.agent.platform.Storage;
import io.waveos.agent.platform.fake.FakeTime;
import io.waveos.agent.telemetry.Event;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A spool folder on a storage, with virtual time and the events it reported. */
final class SpoolFixture {
    static final Path DIR = Path.of("/var/log/waveos/spool");

    final FakeTime time = new FakeTime();
    final List<Event> events = new ArrayList<>();
    final SpoolCounters counters = new SpoolCounters();

    static SpoolConfig config(SpoolConfig.Durability durability, int batchRecords, long segmentBytes,
            long maxTotalBytes) {
        return new SpoolConfig(true, DIR, durability, batchRecords, Duration.ofMillis(200), segmentBytes,
                Duration.ofHours(1), maxTotalBytes, Duration.ofDays(7), 1024, 64 * 1024, false);
    }

    SpoolWriter open(Storage storage, SpoolConfig config) {
        return SpoolWriter.open(storage, config, time, time, events::add, counters);
    }

    static byte[] line(int i) {
        return ("line " + i + " " + "x".repeat(i % 40)).getBytes(StandardCharsets.UTF_8);
    }

    /** Every valid record of every segment, and the corrupt stretches met. */
    static List<SpoolRecord> all(Storage storage, List<String> corrupt) throws IOException {
        SpoolReader reader = new SpoolReader(storage, DIR);
        List<SpoolRecord> out = new ArrayList<>();
        var start = reader.oldest();
        if (start.isEmpty()) {
            return out;
        }
        SpoolReader.Batch b = reader.read(start.get(), Integer.MAX_VALUE);
        out.addAll(b.records());
        corrupt.addAll(b.corrupt());
        return out;
    }

    List<String> codes() {
        return events.stream().map(e -> e.code().wire()).toList();
    }
}
