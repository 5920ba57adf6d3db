package io.waveos.hil.rig;

import java.time.Duration;

/** Where a rig reports as it runs: notable moments, and the scenario clock for a live progress line. */
public interface Progress {
    /** A notable moment (a fault injected, a reset), already formatted with its time. */
    void note(String line);

    /** The scenario clock reached {@code t}; called often, cheap. */
    void at(Duration t);

    Progress SILENT = new Progress() {
        @Override
        public void note(String line) {
        }

        @Override
        public void at(Duration t) {
        }
    };
}
