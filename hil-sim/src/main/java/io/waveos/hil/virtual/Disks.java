package io.waveos.hil.virtual;

import io.waveos.agent.platform.fake.FakeStorage;
import io.waveos.bundles.platform.CrashingStorage;

/**
 * The tier-1 device's two storage ports, which lose power together: the agent's own files
 * ({@link FakeStorage}: unsynced appends and unsynced replacements are lost) and the updater's inbox,
 * trust root and slots ({@link CrashingStorage}: only what was fsynced, file and directory entry
 * alike, survives), with the {@link StorageCut} that can cut the power at one of their writes.
 */
record Disks(FakeStorage storage, CrashingStorage slots, StorageCut cut) {
    /** The power goes: both storages keep only what survives a cut, and writes work again at the boot. */
    void powerLoss() {
        storage.powerLoss();
        slots.powerCut();
        cut.restored();
    }
}
