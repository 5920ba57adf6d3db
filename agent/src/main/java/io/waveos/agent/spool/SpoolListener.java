package io.waveos.agent.spool;

import io.waveos.agent.telemetry.Event;

/**
 * Where the spool reports what an operator must know (drops, truncations, corrupt records, write
 * failures). Called on the spool's writer thread or a reader's thread: an implementation must only
 * enqueue (the agent submits a loop event), never block.
 */
@FunctionalInterface
public interface SpoolListener {
    void report(Event event);
}
