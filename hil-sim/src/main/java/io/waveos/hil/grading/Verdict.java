package io.waveos.hil.grading;

import io.waveos.hil.scenario.Expectation;

/** One expectation decided: passed or not, and what was observed in the agent's records. */
public record Verdict(Expectation expectation, boolean passed, String observed) {
}
