package io.waveos.companion.transport;

import java.io.IOException;
import java.util.Arrays;
import java.util.Random;

/**
 * One direction of a {@link PipePair}: applies its {@link FaultPlan} to each send and schedules what
 * survives on the pair's queue. Not thread-safe; the pair drives it from one thread.
 */
final class PipeLane {

    /** What the lane schedules on: the pair's delivery queue. */
    interface Scheduler {
        long nextSequence();

        void schedule(Entry entry);
    }

    enum Kind { DATA, PEER_CLOSED, CUT }

    /** A scheduled delivery; ordered by due time, then by sequence. */
    record Entry(long dueNanos, long sequence, PipeLane lane, Kind kind, byte[] bytes) {
        static int compare(Entry x, Entry y) {
            int byDue = Long.compare(x.dueNanos, y.dueNanos);
            return byDue != 0 ? byDue : Long.compare(x.sequence, y.sequence);
        }
    }

    final PipePair.Direction direction;
    final PipeTransport to;
    private final FaultPlan plan;
    private final Random random;
    private final Scheduler scheduler;
    private final long minDelayNanos;
    private final long maxDelayNanos;

    private long bytesOffered;
    private long lastDueNanos = Long.MIN_VALUE;
    private long bitsUntilFlip = -1; // -1: not drawn yet
    private byte[] held;
    private long heldDueNanos;
    private boolean silent;
    private boolean plannedCutDone;
    private long inFlightBytes;

    private long chunksSent;
    private long chunksDropped;
    private long chunksDuplicated;
    private long chunksReordered;
    private long bitsFlipped;
    private long bytesLost;
    private long chunksDelivered;
    private long bytesDelivered;

    PipeLane(PipePair.Direction direction, PipeTransport to, FaultPlan plan, Random random, Scheduler scheduler) {
        this.direction = direction;
        this.to = to;
        this.plan = plan;
        this.random = random;
        this.scheduler = scheduler;
        this.minDelayNanos = plan.minDelay().toNanos();
        this.maxDelayNanos = plan.maxDelay().toNanos();
    }

    /** Applies the plan to one send at {@code nowNanos}. */
    void send(byte[] bytes, long nowNanos) throws IOException {
        if (inFlightBytes + bytes.length > plan.inFlightLimitBytes()) {
            throw new IOException("pipe " + direction + " full: " + inFlightBytes + " bytes in flight, limit "
                    + plan.inFlightLimitBytes());
        }
        chunksSent++;
        long offeredBefore = bytesOffered;
        bytesOffered += bytes.length;
        if (silent) {
            bytesLost += bytes.length;
            return;
        }
        byte[] data = bytes.clone();
        if (!plannedCutDone && plan.cutAfterBytes() != FaultPlan.NEVER
                && bytesOffered > plan.cutAfterBytes()) {
            plannedCutDone = true;
            int kept = (int) Math.max(0, plan.cutAfterBytes() - offeredBefore);
            bytesLost += data.length - kept;
            transmit(Arrays.copyOf(data, kept), nowNanos);
            switch (plan.cutMode()) {
                case SILENT -> silent = true;
                case CLOSE -> scheduleMarker(Kind.CUT, nowNanos);
            }
            return;
        }
        transmit(data, nowNanos);
    }

    /** Schedules the peer-closed notice behind everything already sent. */
    void sendClose(long nowNanos) {
        if (!silent) {
            scheduleMarker(Kind.PEER_CLOSED, nowNanos);
        }
    }

    private void transmit(byte[] data, long nowNanos) {
        int offset = 0;
        while (offset < data.length) {
            int remaining = data.length - offset;
            int size = remaining <= plan.maxChunkBytes() ? remaining : 1 + random.nextInt(plan.maxChunkBytes());
            transmitPiece(Arrays.copyOfRange(data, offset, offset + size), nowNanos);
            offset += size;
        }
    }

    private void transmitPiece(byte[] piece, long nowNanos) {
        if (plan.dropProbability() > 0 && random.nextDouble() < plan.dropProbability()) {
            chunksDropped++;
            return;
        }
        int copies = 1;
        if (plan.duplicateProbability() > 0 && random.nextDouble() < plan.duplicateProbability()) {
            chunksDuplicated++;
            copies = 2;
        }
        for (int i = 0; i < copies; i++) {
            byte[] wire = i == 0 ? piece : piece.clone();
            flipBits(wire);
            scheduleData(wire, nowNanos);
        }
    }

    private void flipBits(byte[] wire) {
        if (plan.bitErrorRate() == 0) {
            return;
        }
        if (bitsUntilFlip < 0) {
            bitsUntilFlip = nextGap();
        }
        long bits = wire.length * 8L;
        long position = bitsUntilFlip;
        while (position < bits) {
            wire[(int) (position >>> 3)] ^= (byte) (1 << (position & 7));
            bitsFlipped++;
            position += 1 + nextGap();
        }
        bitsUntilFlip = position - bits;
    }

    /** Unflipped bits before the next flip: geometric, so flips form a Bernoulli process per bit. */
    private long nextGap() {
        double ber = plan.bitErrorRate();
        if (ber >= 1) {
            return 0;
        }
        double gap = Math.floor(Math.log(1 - random.nextDouble()) / Math.log1p(-ber));
        return gap >= 1e18 ? (long) 1e18 : (long) gap;
    }

    private void scheduleData(byte[] wire, long nowNanos) {
        long due = Math.max(nowNanos + drawDelay(), lastDueNanos);
        inFlightBytes += wire.length;
        if (held != null) {
            schedule(due, Kind.DATA, wire);
            releaseHeld();
            return;
        }
        if (plan.reorderProbability() > 0 && random.nextDouble() < plan.reorderProbability()) {
            chunksReordered++;
            held = wire;
            heldDueNanos = due;
            return;
        }
        schedule(due, Kind.DATA, wire);
    }

    private void scheduleMarker(Kind kind, long nowNanos) {
        if (held != null) {
            releaseHeld();
        }
        schedule(Math.max(nowNanos + minDelayNanos, lastDueNanos), kind, new byte[0]);
    }

    private void releaseHeld() {
        byte[] release = held;
        held = null;
        schedule(Math.max(heldDueNanos, lastDueNanos), Kind.DATA, release);
    }

    private void schedule(long due, Kind kind, byte[] bytes) {
        lastDueNanos = due;
        scheduler.schedule(new Entry(due, scheduler.nextSequence(), this, kind, bytes));
    }

    private long drawDelay() {
        if (maxDelayNanos == minDelayNanos) {
            return minDelayNanos;
        }
        return random.nextLong(minDelayNanos, maxDelayNanos + 1);
    }

    /** Accounts for an entry taken off the queue: delivered to an open end, or lost. */
    void taken(Entry entry, boolean delivered) {
        inFlightBytes -= entry.bytes().length;
        if (entry.kind() != Kind.DATA) {
            return;
        }
        if (delivered) {
            chunksDelivered++;
            bytesDelivered += entry.bytes().length;
        } else {
            bytesLost += entry.bytes().length;
        }
    }

    /** Forgets a held piece (the link was cut). */
    void dropHeld() {
        if (held != null) {
            inFlightBytes -= held.length;
            bytesLost += held.length;
            held = null;
        }
    }

    void silence() {
        silent = true;
    }

    void heal() {
        silent = false;
    }

    PipePair.DirectionStats stats() {
        return new PipePair.DirectionStats(chunksSent, bytesOffered, chunksDropped, chunksDuplicated,
                chunksReordered, bitsFlipped, bytesLost, chunksDelivered, bytesDelivered);
    }
}
