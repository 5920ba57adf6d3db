package io.waveos.bundles.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

class CrashingStorageContractTest extends SlotStorageContract {

    private final CrashingStorage storage = new CrashingStorage();
    private final Path root = Path.of("/twin/root");

    CrashingStorageContractTest() {
        try {
            storage.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected SlotStorage storage() {
        return storage;
    }

    @Override
    protected Path root() {
        return root;
    }
}
