package io.waveos.agent.platform;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs one readiness probe attempt asynchronously.
 *
 * <p>Threading: {@code done} is called exactly once, from any thread, within roughly
 * {@code attemptTimeout}; it must only enqueue an event on the agent's loop.
 */
public interface Prober {

    void probe(Probe probe, Duration attemptTimeout, Consumer<ProbeOutcome> done);

    /** What to probe. */
    sealed interface Probe permits Exec, Tcp, Http {
    }

    /** Ready when the command exits 0. */
    record Exec(List<String> command) implements Probe {
        public Exec {
            command = List.copyOf(command);
        }
    }

    /** Ready when a TCP connection is accepted. */
    record Tcp(String host, int port) implements Probe {
    }

    /** Ready when a GET answers 2xx. */
    record Http(URI url) implements Probe {
    }

    /** The result of one attempt; {@code detail} explains a failure (OS error, status code). */
    record ProbeOutcome(boolean ready, String detail) {
    }
}
