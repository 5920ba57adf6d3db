package io.waveos.agent.spool;

import io.waveos.agent.platform.Storage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Forwards to a local file of JSON lines (a file tail another collector follows): a batch is
 * acknowledged once appended and fsynced. The file grows without bound; whoever tails it rotates it.
 */
public final class FileTarget implements ForwardTarget {
    private final Storage storage;
    private final Path file;
    private final String name;

    public FileTarget(String name, Storage storage, Path file) {
        this.name = name;
        this.storage = storage;
        this.file = file;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void send(List<SpoolRecord> batch) throws IOException {
        try (Storage.AppendFile f = storage.openAppend(file)) {
            f.append(ForwardTarget.jsonLines(batch));
            f.sync();
        }
    }
}
