package io.waveos.companion.frame;

import java.util.EnumMap;
import java.util.Map;

/**
 * A snapshot of how many frames a decoder dropped, per reason.
 *
 * @param byReason a count for every {@link DropReason}
 */
public record DropCounts(Map<DropReason, Long> byReason) {

    public DropCounts {
        for (DropReason reason : DropReason.values()) {
            Long count = byReason.get(reason);
            if (count == null || count < 0) {
                throw new IllegalArgumentException("missing or negative count for " + reason);
            }
        }
        byReason = Map.copyOf(byReason);
    }

    static DropCounts of(long[] counts) {
        Map<DropReason, Long> map = new EnumMap<>(DropReason.class);
        for (DropReason reason : DropReason.values()) {
            map.put(reason, counts[reason.ordinal()]);
        }
        return new DropCounts(map);
    }

    /** How many frames were dropped for {@code reason}. */
    public long of(DropReason reason) {
        return byReason.get(reason);
    }

    /** How many frames were dropped for any reason. */
    public long total() {
        long total = 0;
        for (long count : byReason.values()) {
            total += count;
        }
        return total;
    }
}
