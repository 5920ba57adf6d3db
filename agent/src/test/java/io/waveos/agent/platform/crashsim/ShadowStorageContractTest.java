package io.waveos.agent.platform.crashsim;

import io.waveos.agent.platform.Storage;
import io.waveos.agent.platform.StorageContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The crash-shadow {@link Storage} keeps every promise of the port, on a tracked folder. */
class ShadowStorageContractTest extends StorageContract {
    @TempDir
    Path temp;
    private Storage storage;

    @BeforeEach
    void open() throws IOException {
        Files.createDirectories(temp.resolve("state"));
        storage = CrashShadow.open(temp.resolve("shadow"), List.of(temp.resolve("state")), temp.resolve("state/updates"))
                .storage();
    }

    @Override
    protected Storage storage() {
        return storage;
    }

    @Override
    protected Path root() {
        return temp.resolve("state");
    }
}
