package io.waveos.agent.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.config.SpoolConfig.Durability;
import io.waveos.agent.platform.fake.FakeStorage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpoolWriterTest {
    private final FakeStorage storage = new FakeStorage();
    private final SpoolFixture f = new SpoolFixture();

    @Test
    void alwaysAcknowledgesEachRecordOnlyOnceItIsSynced() throws IOException {
        SpoolWriter w = f.open(storage, SpoolFixture.config(Durability.ALWAYS, 1, 64 * 1024, 1 << 20));
        for (int i = 0; i < 5; i++) {
            assertEquals(i, w.append("web", Stream.STDOUT, 0, SpoolFixture.line(i)));
            assertEquals(i, w.durableSequence());
        }
        storage.powerLoss();
        assertEquals(5, SpoolFixture.all(storage, new ArrayList<>()).size());
    }

    @Test
    void batchSyncsAfterNRecordsOrTheInterval() throws IOException {
        SpoolWriter w = f.open(storage, SpoolFixture.config(Durability.BATCH, 3, 64 * 1024, 1 << 20));
        w.append("web", Stream.STDOUT, 0, SpoolFixture.line(0));
        w.append("web", Stream.STDOUT, 0, SpoolFixture.line(1));
        assertEquals(-1, w.durableSequence());
        w.append("web", Stream.STDOUT, 0, SpoolFixture.line(2));
        assertEquals(2, w.durableSequence());
        w.append("web", Stream.STDOUT, 0, SpoolFixture.line(3));
        f.time.advance(Duration.ofMillis(199));
        w.tick();
        assertEquals(2, w.durableSequence());
        f.time.advance(Duration.ofMillis(1));
        w.tick();
        assertEquals(3, w.durableSequence());
    }

    @Test
    void noneAcknowledgesOnWriteAndAPowerCutLosesTheUnsyncedTail() throws IOException {
        SpoolWriter w = f.open(storage, SpoolFixture.config(Durability.NONE, 1, 64 * 1024, 1 << 20));
        w.append("web", Stream.STDOUT, 0, SpoolFixture.line(0));
        assertEquals(0, w.durableSequence());
        storage.powerLoss();
        assertEquals(0, SpoolFixture.all(storage, new ArrayList<>()).size());
    }

    @Test
    void recoveryCutsATornTailAndKeepsEverythingBefore() throws IOException {
        SpoolWriter w = f.open(storage, SpoolFixture.config(Durability.BATCH, 2, 64 * 1024, 1 << 20));
        for (int i = 0; i < 5; i++) {
            w.append("web", Stream.STDOUT, 0, SpoolFixture.line(i));
        }
        // Records 0..3 synced; record 4 is torn: 10 of its bytes reached the disk.
        storage.powerLossTearing(10, 0);
        SpoolWriter again = f.open(storage, SpoolFixture.config(Durability.BATCH, 2, 64 * 1024, 1 << 20));
        assertTrue(f.codes().contains("spool.tail_truncated"), f.codes().toString());
        assertEquals(4, again.nextSequence());
        again.append("web", Stream.STDOUT, 0, SpoolFixture.line(4));
        again.close();
        List<String> corrupt = new ArrayList<>();
        List<SpoolRecord> records = SpoolFixture.all(storage, corrupt);
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), records.stream().map(SpoolRecord::sequence).toList());
        assertEquals(List.of(), corrupt);
    }

    @Test
    void aCorruptRecordInTheMiddleIsSkippedAndReportedAndTheSpoolGoesOn() throws IOException {
        try (SpoolWriter w = f.open(storage, SpoolFixture.config(Durability.ALWAYS, 1, 64 * 1024, 1 << 20))) {
            for (int i = 0; i < 3; i++) {
                w.append("web", Stream.STDOUT, 0, SpoolFixture.line(i));
            }
        }
        String file = storage.list(SpoolFixture.DIR).get(0);
        byte[] bytes = storage.read(SpoolFixture.DIR.resolve(file)).orElseThrow();
        int second = RecordCodec.encodedLength(new SpoolRecord(0, 0, 0, "web", Stream.STDOUT, 0, SpoolFixture.line(0)));
        bytes[second + 20] ^= 0x40; // a bit of record 1's wall time
        storage.writeAtomically(SpoolFixture.DIR.resolve(file), bytes);
        SpoolWriter again = f.open(storage, SpoolFixture.config(Durability.ALWAYS, 1, 64 * 1024, 1 << 20));
        assertTrue(f.codes().contains("spool.corrupt_record"), f.codes().toString());
        assertEquals(3, again.nextSequence());
        again.append("web", Stream.STDOUT, 0, SpoolFixture.line(3));
        again.close();
        List<String> corrupt = new ArrayList<>();
        List<SpoolRecord> records = SpoolFixture.all(storage, corrupt);
        assertEquals(List.of(0L, 2L, 3L), records.stream().map(SpoolRecord::sequence).toList());
        assertEquals(1, corrupt.size(), corrupt.toString());
    }

    @Test
    void rotatesBySizeAndDropsOldestSegmentsOverTheByteCapCountingEveryDrop() throws IOException {
        SpoolWriter w = f.open(storage, SpoolFixture.config(Durability.ALWAYS, 1, 4096, 8192));
        int n = 400;
        for (int i = 0; i < n; i++) {
            w.append("web", Stream.STDOUT, 0, SpoolFixture.line(i));
        }
        w.close();
        List<SpoolRecord> left = SpoolFixture.all(storage, new ArrayList<>());
        long total = 0;
        for (String file : storage.list(SpoolFixture.DIR)) {
            long size = storage.size(SpoolFixture.DIR.resolve(file)).orElseThrow();
            assertTrue(size <= 4096, file + " is " + size);
            total += size;
        }
        assertTrue(total <= 8192, "total " + total);
        SpoolCounters.Snapshot s = f.counters.snapshot();
        assertEquals(n, left.size() + s.retentionDroppedRecords(), "every record is kept or counted as dropped");
        assertEquals(n - left.size(), left.get(0).sequence(), "the oldest went first");
        assertTrue(f.codes().contains("spool.dropped"));
        long eventRecords = f.events.stream().filter(e -> e.code().wire().equals("spool.dropped"))
                .mapToLong(e -> (Long) e.fields().get("records")).sum();
        assertEquals(s.retentionDroppedRecords(), eventRecords);
    }

    @Test
    void dropsSegmentsOlderThanMaxAge() throws IOException {
        SpoolWriter w = f.open(storage, SpoolFixture.config(Durability.ALWAYS, 1, 4096, 1 << 20));
        w.append("web", Stream.STDOUT, 0, SpoolFixture.line(0));
        f.time.advance(Duration.ofDays(8));
        w.append("web", Stream.STDOUT, 0, SpoolFixture.line(1)); // segment age (1 h) rotates, retention runs
        w.close();
        List<SpoolRecord> left = SpoolFixture.all(storage, new ArrayList<>());
        assertEquals(List.of(1L), left.stream().map(SpoolRecord::sequence).toList());
        assertEquals(1, f.counters.snapshot().retentionDroppedRecords());
    }

    @Test
    void keepsRunningWhenWritesFailAndRecordsTheGapWhenTheyWorkAgain() throws IOException {
        SpoolWriter w = f.open(storage, SpoolFixture.config(Durability.ALWAYS, 1, 64 * 1024, 1 << 20));
        w.append("web", Stream.STDOUT, 0, SpoolFixture.line(0));
        storage.failWrites(true); // disk full or read-only: every write throws
        assertEquals(-1, w.append("web", Stream.STDOUT, 0, SpoolFixture.line(1)));
        assertEquals(-1, w.append("web", Stream.STDOUT, 0, SpoolFixture.line(2)));
        storage.failWrites(false);
        assertEquals(-1, w.append("web", Stream.STDOUT, 0, SpoolFixture.line(3)), "retry waits its interval");
        f.time.advance(SpoolWriter.RETRY_INTERVAL);
        long seq = w.append("web", Stream.STDOUT, 0, SpoolFixture.line(4));
        assertTrue(seq > 0);
        w.close();
        assertEquals(3, f.counters.snapshot().writeDroppedRecords());
        List<SpoolRecord> records = SpoolFixture.all(storage, new ArrayList<>());
        assertEquals("[waveos: spool dropped 3 lines (" + (SpoolFixture.line(1).length + SpoolFixture.line(2).length
                + SpoolFixture.line(3).length) + " bytes) while it could not write]", records.get(1).text());
        assertEquals(List.of("spool.write_state", "spool.write_state"),
                f.codes().stream().filter(c -> c.startsWith("spool.write")).toList());
    }

    @Test
    void aSpoolFolderThatCannotBeWrittenAtStartIsRecoveredOnceItCanBe() throws IOException {
        SpoolWriter first = f.open(storage, SpoolFixture.config(Durability.ALWAYS, 1, 64 * 1024, 1 << 20));
        first.append("web", Stream.STDOUT, 0, SpoolFixture.line(0));
        first.close();
        storage.failWrites(true); // a read-only state folder
        SpoolWriter w = f.open(storage, SpoolFixture.config(Durability.ALWAYS, 1, 64 * 1024, 1 << 20));
        assertEquals(-1, w.append("web", Stream.STDOUT, 0, SpoolFixture.line(1)));
        storage.failWrites(false);
        f.time.advance(SpoolWriter.RETRY_INTERVAL);
        assertTrue(w.append("web", Stream.STDOUT, 0, SpoolFixture.line(2)) > 0);
        w.close();
        List<SpoolRecord> records = SpoolFixture.all(storage, new ArrayList<>());
        assertEquals(List.of(0L, 1L, 2L), records.stream().map(SpoolRecord::sequence).toList(),
                "recovery ran late and numbering goes on from the records on disk");
        assertTrue(records.get(1).text().startsWith("[waveos: spool dropped 1 lines"), records.get(1).text());
    }
}
