package io.waveos.companion.frame;

import java.io.IOException;

/**
 * Port: durable storage of a sender's counter reservations, two small slots written alternately.
 *
 * <p>Implementations: a pair of files written with fsync and atomic rename on Linux, a flash page pair
 * on a microcontroller, an in-memory twin in tests that can tear a write.
 */
public interface CounterStore {

    /** The two slots. */
    enum Slot {
        A,
        B;

        /** The slot that is not this one. */
        public Slot other() {
            return this == A ? B : A;
        }
    }

    /**
     * Reads a slot as it is on the medium.
     *
     * @return the slot's bytes; an empty array if it was never written (a torn write may return
     *     any bytes)
     */
    byte[] read(Slot slot) throws IOException;

    /**
     * Replaces a slot's bytes. When this returns, the bytes survive a power cut. When it throws, the
     * slot may hold the old bytes, the new bytes or a mix of both.
     */
    void write(Slot slot, byte[] bytes) throws IOException;
}
