package io.waveos.agent.update.tool;

import java.io.PrintStream;
import java.time.Clock;
import java.util.Objects;

/**
 * What one run of a tool may touch besides files: its output streams and the wall clock.
 *
 * @param out results (summaries, tables, JSON)
 * @param err diagnostics and progress
 * @param clock the wall clock, used when {@code --now} is not given and for key file timestamps
 * @param interactive whether {@code err} is shown to a person (progress is then on by default)
 */
public record Invocation(PrintStream out, PrintStream err, Clock clock, boolean interactive) {
    public Invocation {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        Objects.requireNonNull(clock, "clock");
    }
}
