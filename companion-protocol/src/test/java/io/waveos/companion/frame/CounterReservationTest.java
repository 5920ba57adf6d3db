package io.waveos.companion.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CounterReservationTest {

    private final FakeCounterStore store = new FakeCounterStore();

    @Test
    void aFreshStoreIssuesCountersFromOneAndReservesBeforeTheFirst() throws IOException {
        CounterReservation counters = CounterReservation.open(store, 100);
        assertEquals(0, store.writes());
        assertEquals(1, counters.next());
        assertEquals(1, store.writes());
        assertEquals(100, counters.reservedUpTo());
        assertEquals(2, counters.next());
    }

    @Test
    void writesOnlyOncePerBlock() throws IOException {
        CounterReservation counters = CounterReservation.open(store, 100);
        for (int i = 1; i <= 250; i++) {
            assertEquals(i, counters.next());
        }
        assertEquals(3, store.writes());
        assertEquals(300, counters.reservedUpTo());
    }

    @Test
    void aRestartResumesAboveTheReservedBlockSkippingUnusedCounters() throws IOException {
        CounterReservation before = CounterReservation.open(store, 100);
        for (int i = 0; i < 42; i++) {
            before.next();
        }
        CounterReservation after = CounterReservation.open(store, 100);
        assertEquals(101, after.next());
        assertEquals(200, after.reservedUpTo());
    }

    @Test
    void alternatesSlotsSoTheNewestRecordNeverOverwritesTheLastGoodOne() throws IOException {
        CounterReservation counters = CounterReservation.open(store, 10);
        counters.next();
        byte[] afterFirst = store.read(CounterStore.Slot.A);
        assertEquals(0, store.read(CounterStore.Slot.B).length);
        for (int i = 0; i < 10; i++) {
            counters.next();
        }
        assertEquals(CounterReservation.RECORD_BYTES, store.read(CounterStore.Slot.B).length);
        assertArrayEquals(afterFirst, store.read(CounterStore.Slot.A));
    }

    @Test
    void aTornWriteFallsBackToTheOtherSlotAndNeverRepeatsACounter() throws IOException {
        CounterReservation counters = CounterReservation.open(store, 10);
        long last = 0;
        for (int i = 0; i < 10; i++) {
            last = counters.next();
        }
        store.tearNextWriteAfter(9);
        assertThrows(IOException.class, counters::next);
        CounterReservation restarted = CounterReservation.open(store, 10);
        long resumed = restarted.next();
        assertTrue(resumed > last, resumed + " must be above " + last);
    }

    @Test
    void aFailedReservationIssuesNothingAndTheNextCallRetries() throws IOException {
        CounterReservation counters = CounterReservation.open(store, 5);
        for (int i = 0; i < 5; i++) {
            counters.next();
        }
        store.tearNextWriteAfter(3);
        assertThrows(IOException.class, counters::next);
        assertEquals(5, counters.lastIssued());
        assertEquals(6, counters.next());
        assertEquals(10, counters.reservedUpTo());
    }

    @Test
    void neverRepeatsACounterAcrossManyRestartsAndPowerCuts() throws IOException {
        SplittableRandom random = new SplittableRandom(3);
        Set<Long> issued = new HashSet<>();
        long highest = 0;
        for (int life = 0; life < 2_000; life++) {
            CounterReservation counters = CounterReservation.open(store, 16);
            int sends = random.nextInt(0, 60);
            for (int i = 0; i < sends; i++) {
                if (random.nextInt(40) == 0) {
                    store.tearNextWriteAfter(random.nextInt(0, CounterReservation.RECORD_BYTES));
                }
                long c;
                try {
                    c = counters.next();
                } catch (IOException powerCut) {
                    break;
                }
                assertTrue(issued.add(c), "counter " + c + " issued twice");
                assertTrue(c > highest, "counter " + c + " not above " + highest);
                highest = c;
            }
        }
        assertTrue(issued.size() > 10_000);
    }

    @Test
    void refusesToGuessWhenBothSlotsAreCorrupt() throws IOException {
        CounterReservation counters = CounterReservation.open(store, 4);
        for (int i = 0; i < 6; i++) {
            counters.next();
        }
        store.corrupt(CounterStore.Slot.A, new byte[] {1, 2, 3});
        store.corrupt(CounterStore.Slot.B, new byte[CounterReservation.RECORD_BYTES]);
        assertThrows(CounterStateLostException.class, () -> CounterReservation.open(store, 4));
    }

    @Test
    void aCorruptNewestSlotFallsBackAndSkipsWhateverItCouldHaveReserved() throws IOException {
        CounterReservation counters = CounterReservation.open(store, 4);
        long last = 0;
        for (int i = 0; i < 6; i++) {
            last = counters.next();
        }
        // Slot B holds the newest reservation (up to 8) and counters 5 and 6 came from it.
        byte[] b = store.read(CounterStore.Slot.B);
        b[13] ^= 0x01;
        store.corrupt(CounterStore.Slot.B, b);
        CounterReservation restarted = CounterReservation.open(store, 4);
        long resumed = restarted.next();
        assertTrue(resumed > last, resumed + " must be above " + last);
        assertEquals(4L + CounterReservation.MAX_BLOCK_SIZE + 1, resumed);
    }

    @Test
    void aTornFirstWriteResumesAboveAnythingTheFirstReservationCouldHaveCovered() throws IOException {
        CounterReservation counters = CounterReservation.open(store, 4);
        store.tearNextWriteAfter(10);
        assertThrows(IOException.class, counters::next);
        assertEquals(CounterReservation.MAX_BLOCK_SIZE + 1L, CounterReservation.open(store, 4).next());
    }
}
