package io.waveos.agent.spool;

import io.waveos.agent.platform.Storage;
import io.waveos.agent.platform.fake.FakeStorage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A {@link FakeStorage} whose power is cut at the N-th write or fsync: numbered operations are every
 * mutating call (create, open, append, sync, delete, atomic write, rename). At the cut an append
 * first lands in the page cache, then the power goes with {@link FakeStorage#powerLossTearing} (so
 * that append, and any unsynced one before it, may be torn); any other operation never happens. From
 * the cut on every call throws, like a process that did not survive. Not a crash model of its own:
 * the durability rules are FakeStorage's.
 */
final class CuttingStorage implements Storage {
    private final FakeStorage disk;
    private final long cutAt;
    private final int keptBytes;
    private final int zeroBytes;
    private long operations;
    private boolean dead;

    CuttingStorage(FakeStorage disk, long cutAt, int keptBytes, int zeroBytes) {
        this.disk = disk;
        this.cutAt = cutAt;
        this.keptBytes = keptBytes;
        this.zeroBytes = zeroBytes;
    }

    long operations() {
        return operations;
    }

    boolean cut() {
        return dead;
    }

    /** Counts one operation; true when the power goes now (the caller performs appends first). */
    private boolean step() throws IOException {
        if (dead) {
            throw new IOException("power is off");
        }
        return ++operations == cutAt;
    }

    private IOException powerOff() {
        disk.powerLossTearing(keptBytes, zeroBytes);
        dead = true;
        return new IOException("power cut at operation " + cutAt);
    }

    private void mutate(String ignoredName) throws IOException {
        if (step()) {
            throw powerOff();
        }
    }

    @Override
    public void writeAtomically(Path path, byte[] data) throws IOException {
        mutate("writeAtomically");
        disk.writeAtomically(path, data);
    }

    @Override
    public void writePrivately(Path path, byte[] data) throws IOException {
        mutate("writePrivately");
        disk.writePrivately(path, data);
    }

    @Override
    public void rename(Path from, Path to) throws IOException {
        mutate("rename");
        disk.rename(from, to);
    }

    @Override
    public void replaceAtomically(Path path, byte[] data) throws IOException {
        mutate("replaceAtomically");
        disk.replaceAtomically(path, data);
    }

    @Override
    public Optional<Long> size(Path path) throws IOException {
        return disk.size(path);
    }

    @Override
    public Optional<byte[]> read(Path path) throws IOException {
        return disk.read(path);
    }

    @Override
    public AppendFile openAppend(Path path) throws IOException {
        mutate("openAppend");
        AppendFile inner = disk.openAppend(path);
        return new AppendFile() {
            @Override
            public void append(byte[] data) throws IOException {
                boolean now = step();
                inner.append(data);
                if (now) {
                    throw powerOff();
                }
            }

            @Override
            public void sync() throws IOException {
                mutate("sync");
                inner.sync();
            }

            @Override
            public long size() {
                return inner.size();
            }

            @Override
            public void close() throws IOException {
                inner.close();
            }
        };
    }

    @Override
    public void createDirectories(Path path) throws IOException {
        mutate("createDirectories");
        disk.createDirectories(path);
    }

    @Override
    public boolean delete(Path path) throws IOException {
        mutate("delete");
        return disk.delete(path);
    }

    @Override
    public boolean exists(Path path) {
        return disk.exists(path);
    }

    @Override
    public List<String> list(Path directory) throws IOException {
        return disk.list(directory);
    }

    @Override
    public void replaceSymlink(Path link, Path target) throws IOException {
        mutate("replaceSymlink");
        disk.replaceSymlink(link, target);
    }
}
