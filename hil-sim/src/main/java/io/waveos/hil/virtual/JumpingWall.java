package io.waveos.hil.virtual;

import io.waveos.agent.platform.WallClock;
import io.waveos.agent.platform.fake.FakeTime;
import java.time.Duration;
import java.time.Instant;

/**
 * The device's wall clock in tier 1: the virtual clock plus the sum of the {@code clock-jump} faults so
 * far (an NTP step, a dead RTC battery). The monotonic clock never jumps. Not thread-safe.
 */
final class JumpingWall implements WallClock {
    private final FakeTime time;
    private Duration offset = Duration.ZERO;

    JumpingWall(FakeTime time) {
        this.time = time;
    }

    @Override
    public Instant now() {
        return time.now().plus(offset);
    }

    /** From now on the wall clock reads {@code by} later (earlier when negative). */
    void jump(Duration by) {
        offset = offset.plus(by);
    }

    /** The jumps so far: what grading subtracts to put the agent's wall stamps back on the scenario's line. */
    Duration offset() {
        return offset;
    }
}
