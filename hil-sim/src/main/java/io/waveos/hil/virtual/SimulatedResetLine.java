package io.waveos.hil.virtual;

import io.waveos.companion.guardian.ResetLine;
import java.time.Duration;

/**
 * The Guardian's reset and safe-mode lines in tier 1: a reset pulse is counted and handed to the rig,
 * which power-cycles the device (as the real line does); the safe-mode line is remembered.
 */
final class SimulatedResetLine implements ResetLine {
    private final Runnable onReset;
    private int pulses;
    private boolean safeMode;

    SimulatedResetLine(Runnable onReset) {
        this.onReset = onReset;
    }

    @Override
    public boolean pulseReset(Duration width) {
        pulses++;
        onReset.run();
        return true;
    }

    @Override
    public void setSafeMode(boolean asserted) {
        safeMode = asserted;
    }

    @Override
    public boolean resetAsserted() {
        return false;
    }

    @Override
    public boolean safeModeAsserted() {
        return safeMode;
    }

    @Override
    public void close() {
        safeMode = false;
    }

    int pulses() {
        return pulses;
    }
}
