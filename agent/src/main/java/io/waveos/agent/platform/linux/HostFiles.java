package io.waveos.agent.platform.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/** Small facts read from the host: memory from /proc/meminfo, and whether a secret file is private. */
public final class HostFiles {
    private HostFiles() {
    }

    /** Total and available memory in bytes. */
    public record Memory(long totalBytes, long availableBytes) {
    }

    /** Reads /proc/meminfo (MemTotal, MemAvailable). */
    public static Memory memory() throws IOException {
        long total = 0;
        long available = 0;
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"), StandardCharsets.US_ASCII)) {
            if (line.startsWith("MemTotal:")) {
                total = kib(line);
            } else if (line.startsWith("MemAvailable:")) {
                available = kib(line);
            }
        }
        return new Memory(total * 1024, available * 1024);
    }

    private static long kib(String line) throws IOException {
        try {
            return Long.parseLong(line.replaceAll("[^0-9]", ""));
        } catch (NumberFormatException e) {
            throw new IOException("/proc/meminfo: unexpected line '" + line + "'", e);
        }
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
