package io.waveos.agent.platform.crashsim;

import io.waveos.agent.platform.Storage;
import io.waveos.agent.platform.linux.LinuxStorage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@link Storage} on {@link LinuxStorage}, journalled by a {@link CrashShadow} with FakeStorage's
 * model: durable writes, renames, deletes, created folders, files and links survive a cut at once;
 * a replacement without fsync never does; an append survives when a sync returned after it. Every
 * call is one operation for a {@link WriteCut}, reads included in its blocking but not its count.
 */
final class ShadowStorage implements Storage {
    private final LinuxStorage real;
    private final CrashShadow shadow;

    ShadowStorage(LinuxStorage real, CrashShadow shadow) {
        this.real = real;
        this.shadow = shadow;
    }

    @Override
    public void writeAtomically(Path path, byte[] data) throws IOException {
        shadow.perform("writeAtomically", new ShadowOp(ShadowOp.Kind.S_WRITE, path, path, data.length,
                ShadowJournal.crc(data)), () -> real.writeAtomically(path, data));
    }

    @Override
    public void writePrivately(Path path, byte[] data) throws IOException {
        shadow.perform("writePrivately", new ShadowOp(ShadowOp.Kind.S_PRIVATE, path, path, data.length,
                ShadowJournal.crc(data)), () -> real.writePrivately(path, data));
    }

    @Override
    public void rename(Path from, Path to) throws IOException {
        shadow.perform("rename", new ShadowOp(ShadowOp.Kind.S_RENAME, from, to, 0, 0), () -> real.rename(from, to));
    }

    @Override
    public void replaceAtomically(Path path, byte[] data) throws IOException {
        shadow.perform("replaceAtomically", new ShadowOp(ShadowOp.Kind.S_REPLACE, path, path, data.length, 0),
                () -> real.replaceAtomically(path, data));
    }

    @Override
    public Optional<Long> size(Path path) throws IOException {
        shadow.cut().alive();
        return real.size(path);
    }

    @Override
    public Optional<byte[]> read(Path path) throws IOException {
        shadow.cut().alive();
        return real.read(path);
    }

    @Override
    public AppendFile openAppend(Path path) throws IOException {
        CrashShadow.Changed<AppendFile> c = shadow.change("openAppend", ShadowOp.of(ShadowOp.Kind.S_OPEN_APPEND, path),
                () -> real.openAppend(path));
        return new ShadowAppend(c.value(), path, c.node());
    }

    @Override
    public void createDirectories(Path path) throws IOException {
        shadow.perform("createDirectories", ShadowOp.of(ShadowOp.Kind.S_MKDIRS, path),
                () -> real.createDirectories(path));
    }

    @Override
    public boolean delete(Path path) throws IOException {
        return shadow.change("delete", ShadowOp.of(ShadowOp.Kind.S_DELETE, path), () -> real.delete(path)).value();
    }

    @Override
    public boolean exists(Path path) {
        shadow.cut().alive();
        return real.exists(path);
    }

    @Override
    public List<String> list(Path directory) throws IOException {
        shadow.cut().alive();
        return real.list(directory);
    }

    @Override
    public void replaceSymlink(Path link, Path target) throws IOException {
        shadow.perform("replaceSymlink", new ShadowOp(ShadowOp.Kind.S_SYMLINK, link, target, 0, 0),
                () -> real.replaceSymlink(link, target));
    }

    /** Appends are not journalled; a sync records the length it made durable. */
    private final class ShadowAppend implements AppendFile {
        private final AppendFile file;
        private final Path path;
        private final long node;

        ShadowAppend(AppendFile file, Path path, long node) {
            this.file = file;
            this.path = path;
            this.node = node;
        }

        @Override
        public void append(byte[] data) throws IOException {
            shadow.cut().before("append", path);
            file.append(data);
        }

        @Override
        public void sync() throws IOException {
            shadow.cut().before("sync", path);
            // fsync flushes the whole file, other handles' appends included: its size before the fsync.
            long length = Math.max(file.size(), shadow.sizeOf(node));
            file.sync();
            shadow.synced(node, length);
        }

        @Override
        public long size() {
            return file.size();
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }
}
