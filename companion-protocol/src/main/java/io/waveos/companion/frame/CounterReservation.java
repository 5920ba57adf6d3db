package io.waveos.companion.frame;

import java.io.IOException;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * Issues a sender's frame counters so that they never repeat, across restarts and power cuts.
 *
 * <p>Counters are reserved in blocks, ahead of use: before issuing a counter above the reserved
 * limit, a new reservation {@code (sequence + 1, reservedUpTo + blockSize)} is written durably to the
 * slot that does not hold the current one. On {@link #open}, the valid slot with the higher sequence
 * wins and issuing resumes above its {@code reservedUpTo}, skipping whatever was reserved but unused.
 *
 * <p>When one slot is torn or corrupt, issuing falls back to the other slot. A torn write is harmless
 * (no counter above a reservation is issued before that reservation is durable), but a corrupt slot
 * may have held the newest reservation, one block above the surviving one, with counters issued from
 * it. So the fallback resumes above {@code reservedUpTo + MAX_BLOCK_SIZE}, the most any lost
 * reservation can have added: a fallback costs 2^30 counters of a 2^63 space.
 *
 * <p>Slot record (24 bytes): magic "WCR1" | sequence u64 LE | reservedUpTo u64 LE | CRC-32 LE of the
 * preceding 20 bytes. Not thread-safe.
 */
public final class CounterReservation {

    static final int RECORD_BYTES = 24;
    private static final byte[] MAGIC = {'W', 'C', 'R', '1'};
    public static final int MIN_BLOCK_SIZE = 1;
    public static final int MAX_BLOCK_SIZE = 1 << 30;

    private final CounterStore store;
    private final int blockSize;
    private long sequence;
    private long reservedUpTo;
    private long lastIssued;
    private CounterStore.Slot current;

    private CounterReservation(CounterStore store, int blockSize, long sequence, long reservedUpTo,
            CounterStore.Slot current) {
        this.store = store;
        this.blockSize = blockSize;
        this.sequence = sequence;
        this.reservedUpTo = reservedUpTo;
        this.lastIssued = reservedUpTo;
        this.current = current;
    }

    /**
     * Loads the reservation state. Writes nothing: the first {@link #next()} reserves the first block.
     *
     * @throws CounterStateLostException if both slots are unreadable
     * @throws IOException if the store cannot be read
     */
    public static CounterReservation open(CounterStore store, int blockSize) throws IOException {
        if (blockSize < MIN_BLOCK_SIZE || blockSize > MAX_BLOCK_SIZE) {
            throw new IllegalArgumentException(
                    "blockSize must be " + MIN_BLOCK_SIZE + ".." + MAX_BLOCK_SIZE + ", was " + blockSize);
        }
        SlotState a = SlotState.parse(store.read(CounterStore.Slot.A));
        SlotState b = SlotState.parse(store.read(CounterStore.Slot.B));
        if (a.corrupt() && b.corrupt()) {
            throw new CounterStateLostException(
                    "both counter slots are unreadable; the link must be re-keyed before it can send");
        }
        // An empty slot reads as (0, 0). On a tie (a fresh store) B wins, so the first write goes to A.
        CounterStore.Slot winner;
        if (a.corrupt() || b.corrupt()) {
            winner = a.corrupt() ? CounterStore.Slot.B : CounterStore.Slot.A;
        } else {
            winner = a.isNewerThan(b) ? CounterStore.Slot.A : CounterStore.Slot.B;
        }
        SlotState won = winner == CounterStore.Slot.A ? a : b;
        // The unreadable slot may have held a newer reservation that counters were issued from.
        long skip = a.corrupt() || b.corrupt() ? MAX_BLOCK_SIZE : 0;
        if (won.reservedUpTo() > Long.MAX_VALUE - skip) {
            throw new CounterStateLostException("the counter space is exhausted; the link must be re-keyed");
        }
        return new CounterReservation(store, blockSize, won.sequence(), won.reservedUpTo() + skip, winner);
    }

    /**
     * Issues the next counter, first writing a new reservation if the current block is used up.
     *
     * @throws IOException if the reservation cannot be written; no counter is issued then, and the
     *     next call tries again
     * @throws IllegalStateException if the counter space is exhausted (the link must be re-keyed)
     */
    public long next() throws IOException {
        if (lastIssued == reservedUpTo) {
            reserve();
        }
        return ++lastIssued;
    }

    /** The highest counter this reservation may issue without writing. */
    public long reservedUpTo() {
        return reservedUpTo;
    }

    /** The last counter issued (or, before the first, the floor it resumes above). */
    public long lastIssued() {
        return lastIssued;
    }

    private void reserve() throws IOException {
        if (reservedUpTo > Long.MAX_VALUE - blockSize) {
            throw new IllegalStateException("the counter space is exhausted; the link must be re-keyed");
        }
        long nextSequence = sequence + 1;
        long nextUpTo = reservedUpTo + blockSize;
        CounterStore.Slot target = current.other();
        // Write ahead: the reservation is durable before any counter it covers is issued.
        store.write(target, record(nextSequence, nextUpTo));
        sequence = nextSequence;
        reservedUpTo = nextUpTo;
        current = target;
    }

    static byte[] record(long sequence, long reservedUpTo) {
        byte[] r = new byte[RECORD_BYTES];
        System.arraycopy(MAGIC, 0, r, 0, MAGIC.length);
        FrameLayout.putLong(r, 4, sequence);
        FrameLayout.putLong(r, 12, reservedUpTo);
        FrameLayout.putInt(r, 20, crcOf(r));
        return r;
    }

    private static int crcOf(byte[] r) {
        CRC32 crc = new CRC32();
        crc.update(r, 0, 20);
        return (int) crc.getValue();
    }

    /** What one slot holds: a record, nothing (0, 0), or something unreadable. */
    private record SlotState(boolean corrupt, long sequence, long reservedUpTo) {

        static SlotState parse(byte[] r) {
            if (r.length == 0) {
                return new SlotState(false, 0, 0);
            }
            if (r.length != RECORD_BYTES || !Arrays.equals(r, 0, MAGIC.length, MAGIC, 0, MAGIC.length)
                    || crcOf(r) != FrameLayout.getInt(r, 20)) {
                return new SlotState(true, 0, 0);
            }
            long upTo = FrameLayout.getLong(r, 12);
            return upTo < 0 ? new SlotState(true, 0, 0) : new SlotState(false, FrameLayout.getLong(r, 4), upTo);
        }

        boolean isNewerThan(SlotState other) {
            int bySequence = Long.compareUnsigned(sequence, other.sequence);
            return bySequence > 0 || (bySequence == 0 && reservedUpTo > other.reservedUpTo);
        }
    }
}
