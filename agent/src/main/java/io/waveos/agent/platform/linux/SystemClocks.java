package io.waveos.agent.platform.linux;

import io.waveos.agent.platform.MonotonicClock;
import io.waveos.agent.platform.WallClock;
import java.time.Instant;

/** The JVM's clocks: {@link Instant#now()} for wall time, {@link System#nanoTime()} for monotonic time. */
public final class SystemClocks implements WallClock, MonotonicClock {

    @Override
    public Instant now() {
        return Instant.now();
    }

    @Override
    public long nanos() {
        return System.nanoTime();
    }
}
