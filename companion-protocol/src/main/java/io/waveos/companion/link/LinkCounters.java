package io.waveos.companion.link;

import io.waveos.companion.frame.DropCounts;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of a {@link LinkSession}'s counters since construction.
 *
 * @param counts a value for every {@link LinkCount}
 * @param frameDrops the frames the decoder dropped, per reason (bad CRC, replay, ...)
 */
public record LinkCounters(Map<LinkCount, Long> counts, DropCounts frameDrops) {

    public LinkCounters {
        for (LinkCount count : LinkCount.values()) {
            Long value = counts.get(count);
            if (value == null || value < 0) {
                throw new IllegalArgumentException("missing or negative count for " + count);
            }
        }
        counts = Map.copyOf(counts);
        Objects.requireNonNull(frameDrops, "frameDrops");
    }

    static LinkCounters of(long[] values, DropCounts frameDrops) {
        Map<LinkCount, Long> map = new EnumMap<>(LinkCount.class);
        for (LinkCount count : LinkCount.values()) {
            map.put(count, values[count.ordinal()]);
        }
        return new LinkCounters(map, frameDrops);
    }

    /** The value of {@code count}. */
    public long of(LinkCount count) {
        return counts.get(count);
    }
}
