package io.waveos.companion.frame;

import java.io.IOException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * In-memory {@link CounterStore} twin. It can lose power in the middle of the next write: the slot
 * then holds the first bytes of the new record and the rest of the old one, and the write throws.
 */
final class FakeCounterStore implements CounterStore {

    private final Map<Slot, byte[]> slots = new EnumMap<>(Slot.class);
    private int tearNextWriteAfterBytes = -1;
    private int writes;

    FakeCounterStore() {
        slots.put(Slot.A, new byte[0]);
        slots.put(Slot.B, new byte[0]);
    }

    /** The next write keeps only the first {@code bytes} bytes of the new record, then fails. */
    void tearNextWriteAfter(int bytes) {
        tearNextWriteAfterBytes = bytes;
    }

    /** Overwrites a slot as a failing medium would. */
    void corrupt(Slot slot, byte[] bytes) {
        slots.put(slot, bytes.clone());
    }

    int writes() {
        return writes;
    }

    @Override
    public byte[] read(Slot slot) {
        return slots.get(slot).clone();
    }

    @Override
    public void write(Slot slot, byte[] bytes) throws IOException {
        writes++;
        if (tearNextWriteAfterBytes >= 0) {
            byte[] old = slots.get(slot);
            byte[] torn = Arrays.copyOf(old, Math.max(old.length, bytes.length));
            System.arraycopy(bytes, 0, torn, 0, Math.min(tearNextWriteAfterBytes, bytes.length));
            slots.put(slot, torn);
            tearNextWriteAfterBytes = -1;
            throw new IOException("power lost during write of slot " + slot);
        }
        slots.put(slot, bytes.clone());
    }
}
