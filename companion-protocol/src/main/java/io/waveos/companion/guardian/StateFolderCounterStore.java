package io.waveos.companion.guardian;

import io.waveos.companion.frame.CounterStore;
import java.io.IOException;

/**
 * The Guardian's send-counter reservations ({@link CounterStore}) as two files of its
 * {@link StateFolder}, {@value #SLOT_A} and {@value #SLOT_B}, each replaced atomically (so a slot is
 * never torn; it can still rot, which {@link io.waveos.companion.frame.CounterReservation} handles).
 */
public final class StateFolderCounterStore implements CounterStore {
    static final String SLOT_A = "send-counter-a.bin";
    static final String SLOT_B = "send-counter-b.bin";

    private final StateFolder folder;

    public StateFolderCounterStore(StateFolder folder) {
        this.folder = folder;
    }

    @Override
    public byte[] read(Slot slot) throws IOException {
        return folder.read(name(slot)).orElse(new byte[0]);
    }

    @Override
    public void write(Slot slot, byte[] bytes) throws IOException {
        folder.writeAtomically(name(slot), bytes);
    }

    private static String name(Slot slot) {
        return switch (slot) {
            case A -> SLOT_A;
            case B -> SLOT_B;
        };
    }
}
