package io.waveos.companion.guardian;

import java.io.IOException;
import java.util.Optional;

/**
 * Port: the Guardian's own folder, holding its log, its boot counter and the reset witnesses it has not
 * reported yet. It lives on the Guardian's storage, never on the device's, so it survives the device's
 * crashes; what was {@link #sync synced} or {@link #writeAtomically written atomically} also survives
 * the Guardian's own power cuts.
 *
 * <p>Files are named by a plain file name ({@code [A-Za-z0-9._-]+}, not starting with a dot).
 * Implementations: {@link DirectoryStateFolder} (a Linux directory with fsync) and an in-memory twin
 * in tests that drops unsynced appends on a simulated power cut. Not thread-safe: owned by the
 * Guardian's loop thread.
 */
public interface StateFolder {

    /** The whole content of {@code name}, or empty when it does not exist. */
    Optional<byte[]> read(String name) throws IOException;

    /**
     * Replaces {@code name} so that after a power cut it holds the old or the new content, never a mix
     * (temporary file, fsync, rename, fsync of the folder).
     */
    void writeAtomically(String name, byte[] data) throws IOException;

    /** Appends to {@code name}, creating it if needed. Not durable until {@link #sync}. */
    void append(String name, byte[] data) throws IOException;

    /** fsync: everything appended to {@code name} so far is durable when this returns. */
    void sync(String name) throws IOException;

    /** Size of {@code name} in bytes, including unsynced appends; 0 when it does not exist. */
    long size(String name) throws IOException;

    /** Atomically renames {@code from} to {@code to}, replacing {@code to}; durable on return. */
    void rename(String from, String to) throws IOException;

    /** Checks a file name; returns it. */
    static String checkName(String name) {
        if (name == null || !name.matches("[A-Za-z0-9_-][A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("not a plain file name: " + name);
        }
        return name;
    }
}
