package io.waveos.companion.link;

import io.waveos.companion.proto.Envelope;
import io.waveos.companion.proto.Heartbeat;
import io.waveos.companion.proto.TimeWitness;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * The content of this side's periodic beat. A {@link LinkSession} asks for it from {@link LinkSession#tick}
 * once per heartbeat period, on the owner's thread, so a beat is only ever sent by a loop that is
 * running: when the agent's event loop hangs, its ticks stop and so do its heartbeats, which is what
 * the Guardian's watchdog watches for. The link repeats the same envelope (same seq) until the next beat.
 *
 * <p>The device beats with a Heartbeat ({@link #heartbeats}); the Guardian with a TimeWitness
 * ({@link #timeWitnesses}), which gives the device an independent monotonic time reference and the
 * Guardian's liveness.
 */
@FunctionalInterface
public interface BeatSource {

    /**
     * The body of the next beat, built now; the link sets sender, seq, ack and expects_reply.
     *
     * @param nowNanos the owner's monotonic time of this tick
     */
    Envelope.Builder beat(long nowNanos);

    /** Device beats: a Heartbeat from {@code heartbeat}, asked once per period. */
    static BeatSource heartbeats(Supplier<Heartbeat> heartbeat) {
        return now -> Envelope.newBuilder().setHeartbeat(heartbeat.get());
    }

    /** Guardian beats: a TimeWitness for the tick's monotonic time (e.g. from its epoch and boot counter). */
    static BeatSource timeWitnesses(LongFunction<TimeWitness> witness) {
        return now -> Envelope.newBuilder().setTimeWitness(witness.apply(now));
    }
}
