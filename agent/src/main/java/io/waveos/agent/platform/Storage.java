package io.waveos.agent.platform;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Durable files. What has been {@link AppendFile#sync synced} or written with
 * {@link #writeAtomically} survives a power cut; anything else may be lost (the fake drops it).
 */
public interface Storage {

    /**
     * Replaces {@code path} with {@code data} so that after a power cut it holds either the old or
     * the new content, never a mix: write a temporary sibling, fsync it, rename over, fsync the
     * directory.
     */
    void writeAtomically(Path path, byte[] data) throws IOException;

    /**
     * As {@link #writeAtomically}, but the file is readable and writable by its owner only (mode 0600)
     * from the moment it is created: for key material.
     */
    void writePrivately(Path path, byte[] data) throws IOException;

    /**
     * Renames {@code from} to {@code to} in one step, replacing {@code to} if it exists, then makes the
     * rename durable (fsync of the directory). Both must be in the same directory.
     *
     * @throws java.nio.file.NoSuchFileException when {@code from} does not exist
     */
    void rename(Path from, Path to) throws IOException;

    /**
     * Replaces {@code path} with {@code data} atomically against a crash of this process (a reader sees
     * the old or the new content, never a mix) but without fsync: after a power cut the file may hold
     * an older content. For state that only matters while the machine stays up, such as the pids of
     * running processes, where an fsync per write would cost flash wear and loop time for nothing.
     */
    void replaceAtomically(Path path, byte[] data) throws IOException;

    /** The size of a regular file in bytes, or empty when it does not exist. */
    Optional<Long> size(Path path) throws IOException;

    /** The whole content, or empty when the file does not exist. */
    Optional<byte[]> read(Path path) throws IOException;

    /** Opens for appending, creating the file (and its parents) if needed. */
    AppendFile openAppend(Path path) throws IOException;

    void createDirectories(Path path) throws IOException;

    /** Deletes a file if it exists; true when something was deleted. */
    boolean delete(Path path) throws IOException;

    boolean exists(Path path);

    /** Names of the entries of a directory, sorted; empty when it does not exist. */
    List<String> list(Path directory) throws IOException;

    /** Atomically points the symbolic link {@code link} at {@code target} (temporary link + rename). */
    void replaceSymlink(Path link, Path target) throws IOException;

    /** An append-only file. Not thread-safe. */
    interface AppendFile extends Closeable {
        void append(byte[] data) throws IOException;

        /** fsync: everything appended so far is durable when this returns. */
        void sync() throws IOException;

        /** Bytes in the file, including unsynced appends. */
        long size();
    }
}
