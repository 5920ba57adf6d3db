package io.waveos.companion.link;

import io.waveos.companion.proto.Envelope;
import java.util.Optional;

/**
 * When this side beats: a new beat every period, and in between the last one again (same seq) every
 * repeat interval, so that one lost frame does not cost the peer a whole period. Times are monotonic nanos.
 */
final class BeatSchedule {

    private final long periodNanos;
    private final long repeatNanos;
    private long nextBeatNanos;
    private Optional<Envelope> last = Optional.empty();
    private long nextRepeatNanos;

    BeatSchedule(long periodNanos, long repeatNanos) {
        this.periodNanos = periodNanos;
        this.repeatNanos = repeatNanos;
    }

    /** The first beat is due one period after {@code nowNanos}. */
    void arm(long nowNanos) {
        nextBeatNanos = nowNanos + periodNanos;
        last = Optional.empty();
    }

    /** Stops repeating the last beat (its seq belongs to a session that ended); the schedule stays. */
    void forgetLast() {
        last = Optional.empty();
    }

    /** Whether a new beat is due; if so the next one is scheduled (late loops do not catch up in a burst). */
    boolean newBeatDue(long nowNanos) {
        if (nowNanos - nextBeatNanos < 0) {
            return false;
        }
        nextBeatNanos += periodNanos;
        if (nowNanos - nextBeatNanos >= 0) {
            nextBeatNanos = nowNanos + periodNanos;
        }
        return true;
    }

    /** Records the beat just sent, to be repeated. */
    void sent(Envelope beat, long nowNanos) {
        last = Optional.of(beat);
        nextRepeatNanos = nowNanos + repeatNanos;
    }

    /** The last beat, if a repeat of it is due before the next beat. */
    Optional<Envelope> repeatDue(long nowNanos) {
        if (last.isEmpty() || nowNanos - nextRepeatNanos < 0 || nextRepeatNanos - nextBeatNanos >= 0) {
            return Optional.empty();
        }
        nextRepeatNanos = nowNanos + repeatNanos;
        return last;
    }
}
