package io.waveos.hil.rig;

import io.waveos.hil.scenario.Scenario;
import java.io.IOException;
import java.nio.file.Path;

/** Runs one scenario on a device (simulated in process, or real processes) and records where its files are. */
public interface Rig {
    /**
     * Runs {@code scenario} in the empty folder {@code work}; {@code progress} receives short lines as
     * faults are injected. Returns when the scenario's duration has passed and the device is stopped.
     *
     * @throws IOException when the device cannot be set up (not when the device misbehaves: that is graded)
     */
    RunRecord run(Scenario scenario, long seed, Path work, Progress progress)
            throws IOException, InterruptedException;
}
