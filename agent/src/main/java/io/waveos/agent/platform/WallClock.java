package io.waveos.agent.platform;

import java.time.Instant;

/** Wall time, used only to stamp events and evidence. Never used for deadlines: it can jump. */
public interface WallClock {
    Instant now();
}
