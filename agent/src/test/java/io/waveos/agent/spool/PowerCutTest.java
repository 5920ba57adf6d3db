package io.waveos.agent.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.config.SpoolConfig;
import io.waveos.agent.config.SpoolConfig.Durability;
import io.waveos.agent.platform.fake.FakeStorage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Cuts the power at every write and fsync of a run of appends (with rotations and recovery), tearing
 * the unsynced tail in several ways, and checks after recovery that every acknowledged record is
 * there, none is corrupt, sequence numbers have no gaps and the spool takes new records.
 */
class PowerCutTest {
    private static final int RECORDS = 60;

    /** What one run left: the highest acknowledged sequence, and whether the cut happened. */
    private record Run(long acknowledged, boolean cut, long operations) {
    }

    private static Run drive(CuttingStorage storage, SpoolFixture f, SpoolConfig config) {
        long acknowledged = -1;
        try {
            SpoolWriter w = f.open(storage, config);
            for (int i = 0; i < RECORDS && !storage.cut(); i++) {
                w.append("web", Stream.STDOUT, 0, SpoolFixture.line(i));
                if (i % 7 == 6) {
                    f.time.advance(Duration.ofMillis(250));
                    w.tick();
                }
                if (!storage.cut()) {
                    acknowledged = w.durableSequence();
                }
            }
            if (!storage.cut()) {
                w.close();
                acknowledged = w.durableSequence();
            }
        } catch (IOException e) {
            assertTrue(storage.cut(), "only the power cut may fail the run: " + e);
        }
        return new Run(acknowledged, storage.cut(), storage.operations());
    }

    @ParameterizedTest(name = "{0}, batch of {1}, torn tail keeps {2} bytes then {3} zeros")
    @CsvSource({"ALWAYS, 1, 0, 0", "ALWAYS, 1, 17, 0", "ALWAYS, 1, 1000000, 0", "ALWAYS, 1, 5, 9",
            "BATCH, 4, 0, 0", "BATCH, 4, 17, 0", "BATCH, 4, 61, 0", "BATCH, 4, 1000000, 0", "BATCH, 4, 30, 40"})
    void everyAcknowledgedRecordSurvivesACutAtEveryWriteAndFsync(Durability durability, int batch, int kept,
            int zeros) throws IOException {
        SpoolConfig config = SpoolFixture.config(durability, batch, 4096, 1 << 20);
        long total = drive(new CuttingStorage(new FakeStorage(), Long.MAX_VALUE, 0, 0), new SpoolFixture(), config)
                .operations();
        assertTrue(total > RECORDS, "the run has more operations than records: " + total);
        for (long cutAt = 1; cutAt <= total; cutAt++) {
            FakeStorage disk = new FakeStorage();
            SpoolFixture f = new SpoolFixture();
            Run run = drive(new CuttingStorage(disk, cutAt, kept, zeros), f, config);
            assertTrue(run.cut(), "cut " + cutAt + " happened");
            String at = "cut at operation " + cutAt + " of " + total;

            SpoolWriter again = SpoolWriter.open(disk, config, f.time, f.time, f.events::add, f.counters);
            long next = again.nextSequence();
            again.append("web", Stream.STDOUT, 0, SpoolFixture.line((int) next));
            again.close();
            List<String> corrupt = new ArrayList<>();
            List<SpoolRecord> records = SpoolFixture.all(disk, corrupt);
            assertEquals(List.of(), corrupt, at);
            assertTrue(next > run.acknowledged(), at + ": acknowledged " + run.acknowledged() + " but next is " + next);
            for (int i = 0; i < records.size(); i++) {
                SpoolRecord r = records.get(i);
                assertEquals(i, r.sequence(), at + ": no gap, nothing lost before the newest");
                assertTrue(Arrays.equals(SpoolFixture.line(i), r.payload()), at + ": record " + i + " intact");
            }
            assertEquals(next + 1, records.size(), at);
        }
        System.out.println("power cut points covered (" + durability + ", kept " + kept + ", zeros " + zeros + "): "
                + total);
    }

    @Test
    void aSecondCutDuringRecoveryLosesNothingAcknowledgedEither() throws IOException {
        SpoolConfig config = SpoolFixture.config(Durability.BATCH, 4, 4096, 1 << 20);
        int combinations = 0;
        for (long firstCut = 5; firstCut <= 80; firstCut += 5) {
            FakeStorage disk = new FakeStorage();
            SpoolFixture f = new SpoolFixture();
            Run run = drive(new CuttingStorage(disk, firstCut, 23, 0), f, config);
            // Count the operations recovery performs on this torn disk, then cut at each of them.
            FakeStorage probe = copy(disk);
            CuttingStorage counting = new CuttingStorage(probe, Long.MAX_VALUE, 0, 0);
            SpoolWriter.open(counting, config, f.time, f.time, e -> { }, new SpoolCounters());
            for (long secondCut = 1; secondCut <= counting.operations(); secondCut++) {
                FakeStorage again = copy(disk);
                SpoolWriter.open(new CuttingStorage(again, secondCut, 0, 0), config, f.time, f.time, e -> { },
                        new SpoolCounters());
                SpoolWriter last = SpoolWriter.open(again, config, f.time, f.time, e -> { }, new SpoolCounters());
                last.close();
                List<String> corrupt = new ArrayList<>();
                List<SpoolRecord> records = SpoolFixture.all(again, corrupt);
                assertEquals(List.of(), corrupt);
                assertTrue(records.size() > run.acknowledged(), "first cut " + firstCut + ", second " + secondCut);
                combinations++;
            }
        }
        System.out.println("power cut during recovery: " + combinations + " (first cut, recovery cut) combinations");
    }

    /** The durable state of a disk, on a fresh FakeStorage (a cut leaves nothing unsynced). */
    private static FakeStorage copy(FakeStorage disk) throws IOException {
        FakeStorage copy = new FakeStorage();
        copy.createDirectories(SpoolFixture.DIR);
        for (String name : disk.list(SpoolFixture.DIR)) {
            copy.writeAtomically(SpoolFixture.DIR.resolve(name), disk.durableContent(SpoolFixture.DIR.resolve(name))
                    .orElseThrow());
        }
        return copy;
    }
}
