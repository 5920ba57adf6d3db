package io.waveos.agent.companion;

import io.waveos.agent.platform.Storage;
import io.waveos.companion.frame.CounterStore;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The link's send-counter slots as two files in the agent's state folder, each replaced atomically
 * with fsync (the counter protocol needs a write to be durable when it returns).
 */
public final class StorageCounterStore implements CounterStore {
    private final Storage storage;
    private final Path folder;

    public StorageCounterStore(Storage storage, Path folder) {
        this.storage = storage;
        this.folder = folder;
    }

    private Path file(Slot slot) {
        return folder.resolve("companion-send-counter-" + slot.name().toLowerCase(java.util.Locale.ROOT) + ".bin");
    }

    @Override
    public byte[] read(Slot slot) throws IOException {
        return storage.read(file(slot)).orElse(new byte[0]);
    }

    @Override
    public void write(Slot slot, byte[] bytes) throws IOException {
        storage.createDirectories(folder);
        storage.writeAtomically(file(slot), bytes);
    }
}
