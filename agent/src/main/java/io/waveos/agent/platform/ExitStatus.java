package io.waveos.agent.platform;

import java.util.Optional;

/**
 * How a process ended: an exit code, or the signal that killed it.
 *
 * <p>Java reports a signalled child as exit code 128 + signal; adapters decode that convention.
 */
public record ExitStatus(Optional<Integer> code, Optional<Signal> signal) {
    public ExitStatus {
        if (code.isPresent() == signal.isPresent()) {
            throw new IllegalArgumentException("exactly one of code and signal must be set");
        }
    }

    public static ExitStatus code(int code) {
        return new ExitStatus(Optional.of(code), Optional.empty());
    }

    public static ExitStatus signal(Signal signal) {
        return new ExitStatus(Optional.empty(), Optional.of(signal));
    }

    /** True for exit code 0. */
    public boolean success() {
        return code.isPresent() && code.get() == 0;
    }

    @Override
    public String toString() {
        return code.map(c -> "code " + c).orElseGet(() -> "signal " + signal.orElseThrow().name());
    }
}
