package io.waveos.companion.link;

import io.waveos.companion.frame.DropCounts;

/** The running values of the {@link LinkCount}s of one session. */
final class Tally {

    private final long[] counts = new long[LinkCount.values().length];

    void add(LinkCount count) {
        counts[count.ordinal()]++;
    }

    LinkCounters snapshot(DropCounts frameDrops) {
        return LinkCounters.of(counts.clone(), frameDrops);
    }
}
