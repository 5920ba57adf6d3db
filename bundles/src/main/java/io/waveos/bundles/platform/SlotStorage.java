package io.waveos.bundles.platform;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The file system as the slot installer needs it, with POSIX durability rules spelled out, because
 * the installer's power-safety argument rests on exactly these rules:
 * <ul>
 *   <li>a file's content is durable only after {@link WritableFile#sync()} on it;</li>
 *   <li>a directory entry (a created, renamed or deleted name) is durable only after
 *       {@link #syncDirectory} on the directory that holds the name;</li>
 *   <li>{@link #rename} is atomic: a reader (and, once the directory is synced, a power cut) sees the
 *       old or the new target, never a mix.</li>
 * </ul>
 * Anything else may be lost or torn by a power cut; the deterministic twin does exactly that.
 * Paths are absolute. Methods are not thread-safe unless an implementation says so.
 */
public interface SlotStorage {

    /** Creates the directory and any missing parents (like {@code mkdir -p}); not durable until synced. */
    void createDirectories(Path dir) throws IOException;

    /** Creates or truncates a regular file for writing. The parent must exist. */
    WritableFile create(Path file) throws IOException;

    /** fsync on a directory: the entries it holds now survive a power cut. */
    void syncDirectory(Path dir) throws IOException;

    /** rename(2): atomically replaces {@code to} (a file, or an empty directory) with {@code from}. */
    void rename(Path from, Path to) throws IOException;

    /** Sets the permission bits (at most {@code 0777}) of a file. */
    void setMode(Path file, int mode) throws IOException;

    /** The permission bits of a file. */
    int mode(Path file) throws IOException;

    /** Opens a regular file for reading. */
    InputStream open(Path file) throws IOException;

    /** The whole content of a regular file, or empty when there is none. */
    Optional<byte[]> read(Path file) throws IOException;

    boolean exists(Path path);

    boolean isDirectory(Path path);

    /** Size of a regular file in bytes. */
    long size(Path file) throws IOException;

    /** Names in a directory, sorted; empty when it does not exist. */
    List<String> list(Path dir) throws IOException;

    /** Deletes a file or a whole directory tree if it exists; not durable until the parent is synced. */
    void deleteTree(Path path) throws IOException;

    /** Bytes available to this process on the file system holding {@code path}. */
    long usableSpace(Path path) throws IOException;

    /**
     * Replaces {@code file} with {@code data} so that after a power cut it holds the old or the new
     * content: write a temporary sibling, sync it, rename it over, sync the directory. Composed of the
     * primitive operations so that a crash-simulating twin sees every step.
     */
    default void writeAtomically(Path file, byte[] data) throws IOException {
        Path dir = file.getParent();
        Path tmp = dir.resolve("." + file.getFileName() + ".tmp");
        try (WritableFile w = create(tmp)) {
            w.write(data, 0, data.length);
            w.sync();
        }
        rename(tmp, file);
        syncDirectory(dir);
    }

    /** An open file being written. */
    interface WritableFile extends AutoCloseable {
        void write(byte[] data, int offset, int length) throws IOException;

        /** fsync: the content written so far is durable when this returns. */
        void sync() throws IOException;

        /** An {@link OutputStream} view; closing it closes this file. */
        OutputStream asStream();

        @Override
        void close() throws IOException;
    }
}
