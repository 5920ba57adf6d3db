package io.waveos.agent.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.config.SpoolConfig.Durability;
import io.waveos.agent.platform.fake.FakeStorage;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SpoolReaderTest {
    private final FakeStorage storage = new FakeStorage();
    private final SpoolFixture f = new SpoolFixture();
    private final SpoolReader reader = new SpoolReader(storage, SpoolFixture.DIR);

    private SpoolWriter writer(long maxTotal) {
        return f.open(storage, SpoolFixture.config(Durability.NONE, 1, 4096, maxTotal));
    }

    private static List<Long> sequences(SpoolReader.Batch b) {
        return b.records().stream().map(SpoolRecord::sequence).toList();
    }

    @Test
    void seeksBySequenceAcrossSegmentsAndReadsOnInBatches() throws IOException {
        SpoolWriter w = writer(1 << 20);
        for (int i = 0; i < 300; i++) {
            w.append("web", Stream.STDOUT, 0, SpoolFixture.line(i));
        }
        w.close();
        assertTrue(reader.segments().size() > 3, reader.segments().toString());
        Cursor at = reader.seek(150).orElseThrow();
        SpoolReader.Batch b = reader.read(at, 100);
        assertEquals(150L, b.records().get(0).sequence());
        assertEquals(249L, b.records().get(99).sequence());
        assertEquals(List.of(250L, 251L), sequences(reader.read(b.next(), 2)));
        assertEquals(Optional.of(b.next()), Cursor.parse(b.next().text()), "a cursor survives its text form");
        Cursor end = reader.seek(10_000).orElseThrow();
        assertEquals(List.of(), reader.read(end, 10).records(), "past the newest record: the end");
    }

    @Test
    void doesNotReturnARecordTheWriterIsStillAppendingButReturnsItOnceComplete() throws IOException {
        SpoolWriter w = writer(1 << 20);
        w.append("web", Stream.STDOUT, 0, SpoolFixture.line(0));
        w.close();
        String file = storage.list(SpoolFixture.DIR).get(0);
        byte[] next = RecordCodec.encode(new SpoolRecord(1, 0, 0, "web", Stream.STDOUT, 0, SpoolFixture.line(1)));
        try (var a = storage.openAppend(SpoolFixture.DIR.resolve(file))) {
            a.append(java.util.Arrays.copyOf(next, 20)); // half a record, as a reader racing the writer sees it
            SpoolReader.Batch first = reader.read(reader.oldest().orElseThrow(), 10);
            assertEquals(List.of(0L), sequences(first));
            assertEquals(List.of(), first.corrupt());
            a.append(java.util.Arrays.copyOfRange(next, 20, next.length));
            assertEquals(List.of(1L), sequences(reader.read(first.next(), 10)));
        }
    }

    @Test
    void aCursorWhoseSegmentRetentionDeletedContinuesAtTheOldestLeft() throws IOException {
        SpoolWriter w = writer(1 << 20);
        for (int i = 0; i < 30; i++) {
            w.append("web", Stream.STDOUT, 0, SpoolFixture.line(i));
        }
        w.close();
        Cursor old = reader.oldest().orElseThrow();
        SpoolWriter more = writer(8192);
        for (int i = 30; i < 400; i++) {
            more.append("web", Stream.STDOUT, 0, SpoolFixture.line(i));
        }
        more.close();
        SpoolReader.Batch b = reader.read(old, 5);
        assertEquals(1, b.skippedSegments());
        assertEquals(reader.segments().get(0).firstSequence(), b.records().get(0).sequence());
    }
}
