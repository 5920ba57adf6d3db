package io.waveos.agent.telemetry;

import java.util.Optional;

/**
 * The agent's own figures at sampling time, read on the loop.
 *
 * @param loopLagMs how late the sampling tick ran against its schedule
 * @param loopQueueDepth events waiting on the loop
 * @param inboxQueueDepth bundles waiting in the update inbox; empty when updates are not configured
 * @param heapUsedBytes JVM heap in use
 * @param heapMaxBytes the heap's limit ({@code -Xmx})
 * @param spool the log spool's figures; empty when the spool is off
 */
public record AgentFacts(long loopLagMs, int loopQueueDepth, Optional<Integer> inboxQueueDepth, long heapUsedBytes,
        long heapMaxBytes, Optional<SpoolFigures> spool) {
    /** Figures without a spool. */
    public AgentFacts(long loopLagMs, int loopQueueDepth, Optional<Integer> inboxQueueDepth, long heapUsedBytes,
            long heapMaxBytes) {
        this(loopLagMs, loopQueueDepth, inboxQueueDepth, heapUsedBytes, heapMaxBytes, Optional.empty());
    }

    public AgentFacts {
        if (loopLagMs < 0 || loopQueueDepth < 0 || heapUsedBytes < 0 || heapMaxBytes < 0) {
            throw new IllegalArgumentException("agent figures must not be negative");
        }
        inboxQueueDepth.ifPresent(d -> {
            if (d < 0) {
                throw new IllegalArgumentException("inbox depth must not be negative");
            }
        });
    }
}
