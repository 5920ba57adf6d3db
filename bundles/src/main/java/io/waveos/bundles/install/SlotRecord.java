package io.waveos.bundles.install;

import java.util.Objects;

/** One slot as {@code state.json} records it: its mark and the bundle it holds (or was to hold). */
public record SlotRecord(Mark mark, long version, String bundleId, String versionName) {
    public SlotRecord {
        Objects.requireNonNull(mark, "mark");
        Objects.requireNonNull(bundleId, "bundleId");
        Objects.requireNonNull(versionName, "versionName");
    }

    SlotRecord marked(Mark newMark) {
        return new SlotRecord(newMark, version, bundleId, versionName);
    }
}
