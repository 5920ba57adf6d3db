package io.waveos.agent.platform.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.waveos.agent.platform.Storage;
import io.waveos.agent.platform.StorageContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinuxStorageTest extends StorageContract {
    @TempDir
    Path temp;

    private final LinuxStorage storage = new LinuxStorage();

    @Override
    protected Storage storage() {
        return storage;
    }

    @Override
    protected Path root() {
        return temp;
    }

    @Test
    void writePrivatelyCreatesAFileOnlyItsOwnerCanReadOrWrite() throws IOException {
        Path key = temp.resolve("evidence_key.pem");
        storage.writePrivately(key, "k".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    }

    @Test
    void atomicWritesLeaveNoTemporaryFilesBehind() throws IOException {
        Path file = temp.resolve("state.json");

        storage.writeAtomically(file, bytes("first"));
        storage.writeAtomically(file, bytes("second"));

        assertEquals(List.of("state.json"), namesIn(temp));
        assertArrayEquals(bytes("second"), Files.readAllBytes(file));
    }

    @Test
    void failedAtomicWriteKeepsWhatWasThereAndLeavesNoTemporaryFile() throws IOException {
        // A non-empty directory cannot be renamed over, so the write fails after the temporary file
        // was written and fsynced: the last step before the old content would be replaced.
        Path occupied = temp.resolve("occupied");
        Files.createDirectory(occupied);
        Files.writeString(occupied.resolve("keep"), "old");

        assertThrows(IOException.class, () -> storage.writeAtomically(occupied, bytes("new")));

        assertEquals("old", Files.readString(occupied.resolve("keep")));
        assertEquals(List.of("occupied"), namesIn(temp));
    }

    @Test
    void atomicWriteIntoAReadOnlyDirectoryFailsWithoutClobberingTheOldFile() throws IOException {
        Path directory = Files.createDirectory(temp.resolve("locked"));
        Path file = directory.resolve("state");
        Files.writeString(file, "old");
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeFalse(Files.isWritable(directory), "running as root: directory permissions do not apply");
            assertThrows(IOException.class, () -> storage.writeAtomically(file, bytes("new")));

            assertEquals("old", Files.readString(file));
            assertEquals(List.of("state"), namesIn(directory));
        } finally {
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void replacingASymlinkRepointsItAndLeavesNoTemporaryLink() throws IOException {
        Path slotA = Files.createDirectory(temp.resolve("a"));
        Path slotB = Files.createDirectory(temp.resolve("b"));
        Path current = temp.resolve("current");

        storage.replaceSymlink(current, slotA);
        storage.replaceSymlink(current, slotB);

        assertEquals(slotB, Files.readSymbolicLink(current));
        assertEquals(List.of("a", "b", "current"), namesIn(temp));
    }

    @Test
    void appendingToAnExistingFileKeepsItsContentAndCountsIt() throws IOException {
        Path log = temp.resolve("events.log");
        Files.writeString(log, "old;");

        try (Storage.AppendFile file = storage.openAppend(log)) {
            assertEquals(4, file.size());
            file.append(bytes("new;"));
            file.sync();
            assertEquals(8, file.size());
        }

        assertEquals("old;new;", Files.readString(log));
    }

    @Test
    void creatingADirectoryWhereAFileIsFails() throws IOException {
        Path file = Files.writeString(temp.resolve("plain"), "x");

        assertThrows(IOException.class, () -> storage.createDirectories(file));
        assertEquals("x", Files.readString(file));
    }

    private static List<String> namesIn(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }
}
