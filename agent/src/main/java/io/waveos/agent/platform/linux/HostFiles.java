package io.waveos.agent.platform.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/** Small facts read from the host: whether a secret file is private. (Memory: {@link LinuxSystemMetrics}.) */
public final class HostFiles {
    private HostFiles() {
    }

    /**
     * Refuses a secret file that group or others can read or write (spec 8.4: an exposed key stops
     * the link instead of being used).
     */
    public static void requireOwnerOnly(Path file) throws IOException {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        for (PosixFilePermission exposed : Set.of(PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ,
                PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE)) {
            if (permissions.contains(exposed)) {
                throw new IOException(file + ": the key file is exposed (" + exposed
                        + "); it must be readable by its owner only (chmod 600)");
            }
        }
    }
}
