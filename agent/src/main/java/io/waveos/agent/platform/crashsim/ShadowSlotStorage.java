package io.waveos.agent.platform.crashsim;

import io.waveos.agent.platform.linux.LinuxSlotStorage;
import io.waveos.bundles.platform.SlotStorage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@link SlotStorage} on {@link LinuxSlotStorage}, journalled by a {@link CrashShadow} with
 * CrashingStorage's model: a file's content and mode are durable at its sync, a folder's entries at
 * the folder's sync; create, rename, delete and mkdir change current entries only.
 * {@link #writeAtomically} is the port's default, composed of the primitives, so each of its steps is
 * one operation here as in {@code CrashingStorage.mutations()}.
 */
final class ShadowSlotStorage implements SlotStorage {
    private final LinuxSlotStorage real;
    private final CrashShadow shadow;

    ShadowSlotStorage(LinuxSlotStorage real, CrashShadow shadow) {
        this.real = real;
        this.shadow = shadow;
    }

    @Override
    public void createDirectories(Path dir) throws IOException {
        shadow.perform("createDirectories", ShadowOp.of(ShadowOp.Kind.X_MKDIRS, dir),
                () -> real.createDirectories(dir));
    }

    @Override
    public WritableFile create(Path file) throws IOException {
        CrashShadow.Changed<WritableFile> c = shadow.change("create", ShadowOp.of(ShadowOp.Kind.X_CREATE, file),
                () -> real.create(file));
        return new ShadowFile(c.value(), file, c.node());
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        shadow.perform("syncDirectory", ShadowOp.of(ShadowOp.Kind.X_SYNC_DIR, dir), () -> real.syncDirectory(dir));
    }

    @Override
    public void rename(Path from, Path to) throws IOException {
        shadow.perform("rename", new ShadowOp(ShadowOp.Kind.X_RENAME, from, to, 0, 0), () -> real.rename(from, to));
    }

    @Override
    public void setMode(Path file, int mode) throws IOException {
        shadow.perform("setMode", new ShadowOp(ShadowOp.Kind.X_MODE, file, file, mode, 0),
                () -> real.setMode(file, mode));
    }

    @Override
    public int mode(Path file) throws IOException {
        shadow.cut().alive();
        return real.mode(file);
    }

    @Override
    public InputStream open(Path file) throws IOException {
        shadow.cut().alive();
        return real.open(file);
    }

    @Override
    public Optional<byte[]> read(Path file) throws IOException {
        shadow.cut().alive();
        return real.read(file);
    }

    @Override
    public boolean exists(Path path) {
        shadow.cut().alive();
        return real.exists(path);
    }

    @Override
    public boolean isDirectory(Path path) {
        shadow.cut().alive();
        return real.isDirectory(path);
    }

    @Override
    public long size(Path file) throws IOException {
        shadow.cut().alive();
        return real.size(file);
    }

    @Override
    public List<String> list(Path dir) throws IOException {
        shadow.cut().alive();
        return real.list(dir);
    }

    @Override
    public void deleteTree(Path path) throws IOException {
        shadow.perform("deleteTree", ShadowOp.of(ShadowOp.Kind.X_DELETE, path), () -> real.deleteTree(path));
    }

    @Override
    public long usableSpace(Path path) throws IOException {
        shadow.cut().alive();
        return real.usableSpace(path);
    }

    /** Writes are not journalled; a sync records how many bytes (written since create) it made durable. */
    private final class ShadowFile implements WritableFile {
        private final WritableFile file;
        private final Path path;
        private final long node;
        private long written;

        ShadowFile(WritableFile file, Path path, long node) {
            this.file = file;
            this.path = path;
            this.node = node;
        }

        @Override
        public void write(byte[] data, int offset, int length) throws IOException {
            shadow.cut().before("write", path);
            file.write(data, offset, length);
            written += length;
        }

        @Override
        public void sync() throws IOException {
            shadow.cut().before("sync", path);
            file.sync();
            shadow.synced(node, written);
        }

        @Override
        public OutputStream asStream() {
            return new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    ShadowFile.this.write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    ShadowFile.this.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    ShadowFile.this.close();
                }
            };
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }
}
