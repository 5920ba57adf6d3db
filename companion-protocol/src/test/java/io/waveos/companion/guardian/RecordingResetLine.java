package io.waveos.companion.guardian;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A {@link ResetLine} that records what was asked of it, timing pulses with a {@link FakeScheduler}. */
final class RecordingResetLine implements ResetLine {
    private final FakeScheduler scheduler;
    private final List<String> events = new ArrayList<>();
    private boolean resetAsserted;
    private boolean safeModeAsserted;
    private boolean closed;

    RecordingResetLine(FakeScheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public boolean pulseReset(Duration width) {
        if (resetAsserted || closed) {
            return false;
        }
        resetAsserted = true;
        events.add(stamp() + " reset asserted");
        scheduler.schedule(width, () -> {
            resetAsserted = false;
            events.add(stamp() + " reset released");
        });
        return true;
    }

    @Override
    public void setSafeMode(boolean asserted) {
        if (asserted != safeModeAsserted) {
            events.add(stamp() + (asserted ? " safe-mode asserted" : " safe-mode released"));
        }
        safeModeAsserted = asserted;
    }

    @Override
    public boolean resetAsserted() {
        return resetAsserted;
    }

    @Override
    public boolean safeModeAsserted() {
        return safeModeAsserted;
    }

    @Override
    public void close() {
        closed = true;
    }

    /** Events like {@code "12000ms reset asserted"}, in order. */
    List<String> events() {
        return List.copyOf(events);
    }

    private String stamp() {
        return scheduler.nowNanos() / 1_000_000 + "ms";
    }
}
