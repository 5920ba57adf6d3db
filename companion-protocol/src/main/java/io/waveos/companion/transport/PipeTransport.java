package io.waveos.companion.transport;

import java.io.IOException;
import java.util.Objects;
import java.util.Random;

/**
 * One end of an in-memory link with fault injection, the deterministic twin of the serial and TCP
 * transports for tests and the simulator. It has no threads and runs in virtual time: see
 * {@link PipePair} for when bytes are delivered, and {@link FaultPlan} for what the wire does to them.
 *
 * <p>Closing one end gives it {@code onClosed("closed locally")} at once and the other end
 * {@code onClosed("peer closed")} once everything sent before the close has arrived, like a TCP FIN.
 * Bytes that arrive at an end that is not open are lost. Unlike the real transports, a close from
 * inside a receiver callback calls {@code onClosed} at once, nested in that callback.
 */
public final class PipeTransport implements ByteTransport {
    private final PipePair pair;
    private final String name;
    private Receiver receiver; // null when not open

    PipeTransport(PipePair pair, String name) {
        this.pair = pair;
        this.name = name;
    }

    /**
     * A pair on its own virtual clock, starting at 0 and moved by {@link PipePair#advance}.
     *
     * @param random the only source of randomness: the same seed and plans give the same run
     */
    public static PipePair pair(FaultPlan aToB, FaultPlan bToA, Random random) {
        return new PipePair(Objects.requireNonNull(aToB), Objects.requireNonNull(bToA),
                Objects.requireNonNull(random), null, false);
    }

    /** A pair whose delays are measured on {@code ticker} (the simulator's virtual clock). */
    public static PipePair pair(FaultPlan aToB, FaultPlan bToA, Random random, Ticker ticker) {
        return new PipePair(Objects.requireNonNull(aToB), Objects.requireNonNull(bToA),
                Objects.requireNonNull(random), Objects.requireNonNull(ticker), false);
    }

    /** A perfect pair that delivers each send before the send returns (no pump needed). */
    public static PipePair synchronousPair() {
        return new PipePair(FaultPlan.NONE, FaultPlan.NONE, new Random(0), () -> 0L, true);
    }

    /** @throws IOException if the link is cut ({@link CutMode#CLOSE}) and not restored */
    @Override
    public void open(Receiver r) throws IOException {
        if (receiver != null) {
            throw new IllegalStateException(describe() + " is already open");
        }
        if (pair.isCut()) {
            throw new IOException(describe() + ": link is cut");
        }
        receiver = Objects.requireNonNull(r);
    }

    /** @throws IOException if not open, if the link is cut, or if the direction's in-flight limit is reached */
    @Override
    public void send(byte[] bytes) throws IOException {
        if (receiver == null) {
            throw new IOException(describe() + " is not open");
        }
        pair.send(this, bytes);
    }

    @Override
    public void close() {
        if (receiver == null) {
            return;
        }
        end("closed locally");
        pair.closed(this);
    }

    @Override
    public String describe() {
        return "pipe " + name;
    }

    /** Hands bytes to the receiver; false if this end is not open (the bytes are lost). */
    boolean deliver(byte[] bytes) {
        Receiver r = receiver;
        if (r == null) {
            return false;
        }
        r.onBytes(bytes, 0, bytes.length);
        return true;
    }

    /** Ends the connection, if open, with exactly one onClosed. */
    void end(String reason) {
        Receiver r = receiver;
        if (r == null) {
            return;
        }
        receiver = null;
        r.onClosed(reason);
    }
}
