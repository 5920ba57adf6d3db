package io.waveos.agent.platform.crashsim;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One name-changing storage operation as the journal records it.
 *
 * @param path   the path it acts on
 * @param other  a rename's target, a symbolic link's target; {@code path} otherwise
 * @param number a write's length, a mode's bits; 0 otherwise
 * @param crc    the CRC-32C of a durable write's bytes (to tell, after a kill, whether it happened); 0 otherwise
 */
record ShadowOp(Kind kind, Path path, Path other, long number, long crc) {
    ShadowOp {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(other, "other");
    }

    static ShadowOp of(Kind kind, Path path) {
        return new ShadowOp(kind, path, path, 0, 0);
    }

    /** {@code S_*} are the {@code Storage} port's (FakeStorage's model), {@code X_*} the {@code SlotStorage} port's. */
    enum Kind {
        S_WRITE, S_PRIVATE, S_REPLACE, S_RENAME, S_DELETE, S_OPEN_APPEND, S_MKDIRS, S_SYMLINK,
        X_MKDIRS, X_CREATE, X_RENAME, X_DELETE, X_MODE, X_SYNC_DIR
    }
}
