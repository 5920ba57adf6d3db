package io.waveos.companion.transport;

import java.io.IOException;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Two connected {@link PipeTransport} ends and the wire between them, in virtual time. Made by
 * {@link PipeTransport#pair} and {@link PipeTransport#synchronousPair()}.
 *
 * <p>Nothing moves by itself: a send only schedules its bytes (after the direction's
 * {@link FaultPlan} is applied), and {@link #pump()} delivers whatever is due at the {@link Ticker}'s
 * current time, in due order, including what receivers send while it runs. {@link #advance} moves the
 * pair's own clock and pumps. A synchronous pair pumps after every send, close and cut, so its sends
 * are delivered before they return (a send from inside a receiver is delivered right after that
 * receiver returns, never nested).
 *
 * <p>Receivers are called on the thread that pumps; an exception from a receiver propagates to that
 * caller. Not thread-safe: one thread (a test, the simulator's loop) drives the pair and both ends.
 */
public final class PipePair {
    /** More deliveries than this in one pump means two receivers answer each other with no delay. */
    private static final int PUMP_LIMIT = 10_000_000;

    /** A direction of the pair. */
    public enum Direction { A_TO_B, B_TO_A }

    /**
     * What happened in one direction so far.
     *
     * @param chunksSent sends accepted
     * @param bytesSent bytes in those sends
     * @param chunksDropped pieces dropped by the plan
     * @param chunksDuplicated pieces sent twice
     * @param chunksReordered pieces held back behind their successor
     * @param bitsFlipped bits inverted
     * @param bytesLost bytes lost to a cut, or arriving at a closed end
     * @param chunksDelivered pieces delivered to an open end
     * @param bytesDelivered bytes delivered to an open end
     */
    public record DirectionStats(long chunksSent, long bytesSent, long chunksDropped, long chunksDuplicated,
            long chunksReordered, long bitsFlipped, long bytesLost, long chunksDelivered, long bytesDelivered) {
    }

    private final PipeTransport a;
    private final PipeTransport b;
    private final PipeLane aToB;
    private final PipeLane bToA;
    private final Ticker ticker;
    private final boolean ownClock;
    private final boolean synchronous;
    private final PriorityQueue<PipeLane.Entry> queue = new PriorityQueue<>(PipeLane.Entry::compare);
    private long virtualNanos;
    private long sequence;
    private boolean cut;
    private boolean pumping;

    PipePair(FaultPlan aToBPlan, FaultPlan bToAPlan, Random random, Ticker externalTicker, boolean synchronous) {
        this.a = new PipeTransport(this, "a");
        this.b = new PipeTransport(this, "b");
        PipeLane.Scheduler scheduler = new PipeLane.Scheduler() {
            @Override
            public long nextSequence() {
                return sequence++;
            }

            @Override
            public void schedule(PipeLane.Entry entry) {
                queue.add(entry);
            }
        };
        this.aToB = new PipeLane(Direction.A_TO_B, b, aToBPlan, random, scheduler);
        this.bToA = new PipeLane(Direction.B_TO_A, a, bToAPlan, random, scheduler);
        this.ownClock = externalTicker == null;
        this.ticker = ownClock ? () -> virtualNanos : externalTicker;
        this.synchronous = synchronous;
    }

    public PipeTransport a() {
        return a;
    }

    public PipeTransport b() {
        return b;
    }

    /**
     * Delivers everything due now, in due order (ties in sending order), and returns how many
     * deliveries (chunks and closes) were made. Called from inside a receiver it returns 0: the pump
     * already running delivers.
     *
     * @throws IllegalStateException if receivers keep answering each other without delay
     */
    public int pump() {
        if (pumping) {
            return 0;
        }
        pumping = true;
        int deliveries = 0;
        try {
            PipeLane.Entry next;
            while ((next = queue.peek()) != null && next.dueNanos() <= ticker.nanos()) {
                queue.poll();
                deliver(next);
                if (++deliveries > PUMP_LIMIT) {
                    throw new IllegalStateException("more than " + PUMP_LIMIT + " deliveries in one pump: "
                            + "receivers answering each other with no delay?");
                }
            }
        } finally {
            pumping = false;
        }
        return deliveries;
    }

    private void deliver(PipeLane.Entry entry) {
        PipeLane lane = entry.lane();
        switch (entry.kind()) {
            case DATA -> lane.taken(entry, lane.to.deliver(entry.bytes()));
            case PEER_CLOSED -> {
                lane.taken(entry, true);
                lane.to.end("peer closed");
            }
            case CUT -> {
                lane.taken(entry, true);
                hardCut("link cut (planned, " + lane.direction + ")");
            }
        }
    }

    /**
     * Advances the pair's own virtual clock by {@code step} and pumps.
     *
     * @throws IllegalStateException if the pair runs on an external {@link Ticker}
     */
    public int advance(Duration step) {
        if (!ownClock) {
            throw new IllegalStateException("this pair runs on an external ticker; advance that and pump()");
        }
        if (step.isNegative()) {
            throw new IllegalArgumentException("time does not go back: " + step);
        }
        virtualNanos += step.toNanos();
        return pump();
    }

    /** When the next delivery falls due, on the pair's {@link Ticker}; empty when nothing is in flight. */
    public OptionalLong nextDueNanos() {
        PipeLane.Entry next = queue.peek();
        return next == null ? OptionalLong.empty() : OptionalLong.of(next.dueNanos());
    }

    /**
     * Cuts the link now. {@link CutMode#CLOSE}: in-flight bytes are lost, both open ends get
     * {@code onClosed("link cut")}, and opens and sends fail until {@link #restore()}.
     * {@link CutMode#SILENT}: in-flight bytes are lost and later sends in both directions vanish, while
     * the ends stay open.
     */
    public void cut(CutMode mode) {
        switch (mode) {
            case CLOSE -> hardCut("link cut");
            case SILENT -> {
                discardInFlight();
                aToB.silence();
                bToA.silence();
            }
        }
    }

    /** Heals any cut, planned or not (a planned cut does not happen again); the ends may be reopened. */
    public void restore() {
        cut = false;
        aToB.heal();
        bToA.heal();
    }

    public boolean isCut() {
        return cut;
    }

    public DirectionStats stats(Direction direction) {
        return switch (direction) {
            case A_TO_B -> aToB.stats();
            case B_TO_A -> bToA.stats();
        };
    }

    private void hardCut(String reason) {
        cut = true;
        discardInFlight();
        a.end(reason);
        b.end(reason);
    }

    private void discardInFlight() {
        PipeLane.Entry entry;
        while ((entry = queue.poll()) != null) {
            entry.lane().taken(entry, false);
        }
        aToB.dropHeld();
        bToA.dropHeld();
    }

    void send(PipeTransport from, byte[] bytes) throws IOException {
        if (cut) {
            throw new IOException("pipe " + from.describe() + ": link is cut");
        }
        laneFrom(from).send(bytes, ticker.nanos());
        pumpIfSynchronous();
    }

    void closed(PipeTransport from) {
        if (!cut) {
            laneFrom(from).sendClose(ticker.nanos());
        }
        pumpIfSynchronous();
    }

    private void pumpIfSynchronous() {
        if (synchronous) {
            pump();
        }
    }

    private PipeLane laneFrom(PipeTransport from) {
        return from == a ? aToB : bToA;
    }
}
