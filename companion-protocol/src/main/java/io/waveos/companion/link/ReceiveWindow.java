package io.waveos.companion.link;

/**
 * The seqs received from the peer in the current session: tells a new envelope from a repeat and gives
 * the ack to send. Fixed size: a cumulative ack plus a bitmap of the {@value #SIZE} seqs above it.
 *
 * <p>{@code ack} is the highest seq such that every seq up to it was received, or fell more than
 * {@value #SIZE} below the highest one received (a fire-and-forget envelope lost on the line is never
 * sent again, so the window gives up on it rather than stall). Seqs are unsigned 64-bit numbers.
 */
final class ReceiveWindow {

    static final int SIZE = 64;

    private long first;
    private long ack;
    /** Bit i: seq {@code ack + 1 + i} was received. */
    private long above;

    /** No session: nothing received; ack 0. */
    void reset() {
        resetTo(0);
    }

    /** A new session whose first envelope (Hello or HelloAck) carried {@code seq}. */
    void resetTo(long seq) {
        first = seq;
        ack = seq;
        above = 0;
    }

    long ack() {
        return ack;
    }

    /** Whether the only seq received in this session is its first, {@code seq}. */
    boolean holdsOnlyFirst(long seq) {
        return first == seq && ack == seq && above == 0;
    }

    /** Records {@code seq}; true if it was not received before (a new envelope), false for a repeat. */
    boolean accept(long seq) {
        if (Long.compareUnsigned(seq, ack) <= 0) {
            return false;
        }
        long distance = seq - ack;
        if (Long.compareUnsigned(distance, SIZE) > 0) {
            long shift = distance - SIZE;
            above = Long.compareUnsigned(shift, SIZE) >= 0 ? 0 : above >>> shift;
            ack += shift;
            distance = SIZE;
        }
        long bit = 1L << (distance - 1);
        if ((above & bit) != 0) {
            return false;
        }
        above |= bit;
        while ((above & 1) != 0) {
            above >>>= 1;
            ack++;
        }
        return true;
    }
}
