package io.waveos.bundles.install;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything {@code components/<component>/state.json} holds: the active pointer, the slot marks and
 * the journal. It is written as one file, atomically, so a power cut shows a whole old or a whole new
 * state, never a pointer from one and a mark from the other.
 */
record ComponentState(Optional<String> active, Map<String, SlotRecord> slots, Optional<Journal> journal) {

    static final ComponentState NONE = new ComponentState(Optional.empty(), Map.of(), Optional.empty());

    ComponentState {
        Objects.requireNonNull(active, "active");
        slots = Collections.unmodifiableMap(new TreeMap<>(slots));
        Objects.requireNonNull(journal, "journal");
        if (active.isPresent() && !slots.containsKey(active.get())) {
            throw new IllegalArgumentException("active slot " + active.get() + " has no record");
        }
    }

    ComponentState withSlot(String slot, SlotRecord record) {
        Map<String, SlotRecord> copy = new TreeMap<>(slots);
        copy.put(slot, record);
        return new ComponentState(active, copy, journal);
    }

    ComponentState withActive(Optional<String> slot) {
        return new ComponentState(slot, slots, journal);
    }

    ComponentState withJournal(Journal j) {
        return new ComponentState(active, slots, Optional.of(j));
    }
}
