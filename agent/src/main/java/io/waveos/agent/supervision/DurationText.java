package io.waveos.agent.supervision;

import java.time.Duration;

/** Durations as an operator writes them in agent.yaml: {@code 500ms}, {@code 10s}, {@code 5m}. */
final class DurationText {
    private DurationText() {
    }

    static String of(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0 && ms != 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms != 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
