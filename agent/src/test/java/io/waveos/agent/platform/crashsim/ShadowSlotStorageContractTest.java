package io.waveos.agent.platform.crashsim;

import io.waveos.bundles.platform.SlotStorage;
import io.waveos.bundles.platform.SlotStorageContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The crash-shadow {@link SlotStorage} keeps every promise of the port, on a tracked folder. */
class ShadowSlotStorageContractTest extends SlotStorageContract {
    @TempDir
    Path temp;
    private SlotStorage storage;

    @BeforeEach
    void open() throws IOException {
        Files.createDirectories(temp.resolve("state"));
        storage = CrashShadow.open(temp.resolve("shadow"), List.of(temp.resolve("state")), temp.resolve("state/updates"))
                .slotStorage();
    }

    @Override
    protected SlotStorage storage() {
        return storage;
    }

    @Override
    protected Path root() {
        return temp.resolve("state");
    }
}
