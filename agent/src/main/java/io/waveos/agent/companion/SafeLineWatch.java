package io.waveos.agent.companion;

import io.waveos.agent.mode.ModeMachine;
import io.waveos.agent.platform.SafeModeLine;
import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.EventCode;
import io.waveos.agent.telemetry.EventSink;
import java.io.IOException;
import java.util.Optional;

/**
 * Follows the Guardian's safe-mode line for the agent's loop: each {@link #poll} reads it and reports a
 * change, with an event. Starts from "released", so a line asserted at start is a change.
 *
 * <p>A line that cannot be read keeps its last known state (neither entering nor leaving SAFE on a
 * guess); the failure is an event once, and so is the recovery. Loop thread only.
 */
public final class SafeLineWatch {
    private final SafeModeLine line;
    private final EventSink events;
    private boolean asserted;
    private boolean failing;

    public SafeLineWatch(SafeModeLine line, EventSink events) {
        this.line = line;
        this.events = events;
    }

    /** Reads the line; the new state when it changed since the last poll, else empty. */
    public Optional<Boolean> poll() {
        boolean now;
        try {
            now = line.asserted();
        } catch (IOException e) {
            if (!failing) {
                failing = true;
                events.emit(Event.of(EventCode.COMPANION_SAFE_LINE, "companion", "cannot read the safe-mode line, "
                        + "keeping its last state (" + (asserted ? "asserted" : "released") + "): " + e.getMessage()));
            }
            return Optional.empty();
        }
        if (failing) {
            failing = false;
            events.emit(Event.of(EventCode.COMPANION_SAFE_LINE, "companion", "the safe-mode line reads again",
                    "asserted", now));
        }
        if (now == asserted) {
            return Optional.empty();
        }
        asserted = now;
        events.emit(Event.of(EventCode.COMPANION_SAFE_LINE, "companion", now ? ModeMachine.SAFE_LINE_REASON
                : "guardian safe-mode line released; SAFE ends by its usual rules", "asserted", now));
        return Optional.of(now);
    }
}
