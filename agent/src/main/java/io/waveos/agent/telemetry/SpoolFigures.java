package io.waveos.agent.telemetry;

import java.util.Map;

/**
 * The log spool's figures at sampling time (docs/spool.md), totals since the agent started.
 *
 * @param queueDepth lines waiting for the spool's writer
 * @param writtenBytes bytes appended to segments
 * @param droppedRecords lines lost before reaching a segment (full queue, write failure)
 * @param droppedBytes their payload bytes
 * @param retentionDroppedRecords records deleted with old segments by retention
 * @param forwardedRecords records acknowledged by forwarding targets (all targets together)
 * @param forwardDuplicates records sent again that a target may already have had
 * @param forwardBreakersOpen forwarding targets whose circuit breaker is open now
 * @param errorLinesByService lines each service logged at an error level (docs/spool.md)
 */
public record SpoolFigures(long queueDepth, long writtenBytes, long droppedRecords, long droppedBytes,
        long retentionDroppedRecords, long forwardedRecords, long forwardDuplicates, int forwardBreakersOpen,
        Map<String, Long> errorLinesByService) {
    /** Without per-service error counts. */
    public SpoolFigures(long queueDepth, long writtenBytes, long droppedRecords, long droppedBytes,
            long retentionDroppedRecords, long forwardedRecords, long forwardDuplicates, int forwardBreakersOpen) {
        this(queueDepth, writtenBytes, droppedRecords, droppedBytes, retentionDroppedRecords, forwardedRecords,
                forwardDuplicates, forwardBreakersOpen, Map.of());
    }

    public SpoolFigures {
        errorLinesByService = Map.copyOf(errorLinesByService);
        if (queueDepth < 0 || writtenBytes < 0 || droppedRecords < 0 || droppedBytes < 0
                || retentionDroppedRecords < 0 || forwardedRecords < 0 || forwardDuplicates < 0
                || forwardBreakersOpen < 0) {
            throw new IllegalArgumentException("spool figures must not be negative");
        }
    }
}
