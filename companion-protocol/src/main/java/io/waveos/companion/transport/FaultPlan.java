package io.waveos.companion.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * What one direction of a {@link PipeTransport} pair does to the bytes sent through it. Faults are
 * drawn from the pair's seeded {@code Random}, so a plan and a seed give the same run every time.
 *
 * <p>Each {@code send} is first cut short if it crosses {@code cutAfterBytes}, then split into
 * pieces of 1 to {@code maxChunkBytes} bytes; each piece is then, in this order: dropped with
 * {@code dropProbability}; duplicated with {@code duplicateProbability} (each copy corrupted
 * independently); its bits flipped, each with probability {@code bitErrorRate} (a Bernoulli process
 * over the whole stream); delayed by a uniform draw in [{@code minDelay}, {@code maxDelay}] but never
 * overtaking an earlier piece; and with {@code reorderProbability} held back and delivered right after
 * the next piece sent in the same direction (a trailing held piece waits for a successor, or a close).
 *
 * @param dropProbability chance a piece vanishes, 0..1
 * @param bitErrorRate chance each bit is inverted, 0..1 (1e-3 is a very noisy UART)
 * @param duplicateProbability chance a piece arrives twice, 0..1
 * @param minDelay least delay of a piece, measured on the pair's {@link Ticker}
 * @param maxDelay greatest delay of a piece, at least {@code minDelay}
 * @param reorderProbability chance a piece swaps places with its successor, 0..1
 * @param maxChunkBytes greatest piece size; {@link Integer#MAX_VALUE} delivers each send whole
 * @param cutAfterBytes after this many bytes have been sent in this direction the link is cut, once
 *     (the bytes before the cut still arrive); {@link #NEVER} for no planned cut
 * @param cutMode how the planned cut fails: {@link CutMode#CLOSE} cuts the whole pair,
 *     {@link CutMode#SILENT} silences this direction only
 * @param inFlightLimitBytes bytes that may be in flight in this direction; a send beyond it fails
 *     with an {@code IOException}, as a write to a peer that does not drain would time out
 */
public record FaultPlan(
        double dropProbability,
        double bitErrorRate,
        double duplicateProbability,
        Duration minDelay,
        Duration maxDelay,
        double reorderProbability,
        int maxChunkBytes,
        long cutAfterBytes,
        CutMode cutMode,
        int inFlightLimitBytes) {

    /** {@code cutAfterBytes} meaning no planned cut. */
    public static final long NEVER = Long.MAX_VALUE;
    /** The default in-flight limit per direction: 1 MiB. */
    public static final int DEFAULT_IN_FLIGHT_LIMIT_BYTES = 1 << 20;
    /** A perfect wire: no faults, no delay, each send delivered whole. */
    public static final FaultPlan NONE = new FaultPlan(0, 0, 0, Duration.ZERO, Duration.ZERO, 0,
            Integer.MAX_VALUE, NEVER, CutMode.CLOSE, DEFAULT_IN_FLIGHT_LIMIT_BYTES);

    public FaultPlan {
        requireProbability("dropProbability", dropProbability);
        requireProbability("bitErrorRate", bitErrorRate);
        requireProbability("duplicateProbability", duplicateProbability);
        requireProbability("reorderProbability", reorderProbability);
        Objects.requireNonNull(minDelay, "minDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(cutMode, "cutMode");
        if (minDelay.isNegative() || maxDelay.compareTo(minDelay) < 0) {
            throw new IllegalArgumentException("delay must satisfy 0 <= minDelay <= maxDelay, was "
                    + minDelay + ".." + maxDelay);
        }
        if (maxChunkBytes < 1) {
            throw new IllegalArgumentException("maxChunkBytes must be at least 1, was " + maxChunkBytes);
        }
        if (cutAfterBytes < 0) {
            throw new IllegalArgumentException("cutAfterBytes must be >= 0 (or NEVER), was " + cutAfterBytes);
        }
        if (inFlightLimitBytes < 1) {
            throw new IllegalArgumentException("inFlightLimitBytes must be at least 1, was " + inFlightLimitBytes);
        }
    }

    private static void requireProbability(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be within 0..1, was " + value);
        }
    }

    public FaultPlan withDropProbability(double p) {
        return new FaultPlan(p, bitErrorRate, duplicateProbability, minDelay, maxDelay, reorderProbability,
                maxChunkBytes, cutAfterBytes, cutMode, inFlightLimitBytes);
    }

    public FaultPlan withBitErrorRate(double ber) {
        return new FaultPlan(dropProbability, ber, duplicateProbability, minDelay, maxDelay, reorderProbability,
                maxChunkBytes, cutAfterBytes, cutMode, inFlightLimitBytes);
    }

    public FaultPlan withDuplicateProbability(double p) {
        return new FaultPlan(dropProbability, bitErrorRate, p, minDelay, maxDelay, reorderProbability,
                maxChunkBytes, cutAfterBytes, cutMode, inFlightLimitBytes);
    }

    /** A fixed delay. */
    public FaultPlan withDelay(Duration delay) {
        return withDelay(delay, delay);
    }

    /** A delay drawn uniformly from {@code min..max} for each piece. */
    public FaultPlan withDelay(Duration min, Duration max) {
        return new FaultPlan(dropProbability, bitErrorRate, duplicateProbability, min, max, reorderProbability,
                maxChunkBytes, cutAfterBytes, cutMode, inFlightLimitBytes);
    }

    public FaultPlan withReorderProbability(double p) {
        return new FaultPlan(dropProbability, bitErrorRate, duplicateProbability, minDelay, maxDelay, p,
                maxChunkBytes, cutAfterBytes, cutMode, inFlightLimitBytes);
    }

    public FaultPlan withMaxChunkBytes(int bytes) {
        return new FaultPlan(dropProbability, bitErrorRate, duplicateProbability, minDelay, maxDelay,
                reorderProbability, bytes, cutAfterBytes, cutMode, inFlightLimitBytes);
    }

    public FaultPlan withCutAfterBytes(long bytes, CutMode mode) {
        return new FaultPlan(dropProbability, bitErrorRate, duplicateProbability, minDelay, maxDelay,
                reorderProbability, maxChunkBytes, bytes, mode, inFlightLimitBytes);
    }

    public FaultPlan withInFlightLimitBytes(int bytes) {
        return new FaultPlan(dropProbability, bitErrorRate, duplicateProbability, minDelay, maxDelay,
                reorderProbability, maxChunkBytes, cutAfterBytes, cutMode, bytes);
    }
}
