package io.waveos.companion.guardian;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DirectoryStateFolder} on a real directory (fsync is not observable here; names and bytes are). */
class GuardianDirectoryStateFolderTest {
    @TempDir
    Path temp;

    @Test
    void createsItsFolderAndReplacesFilesWithoutLeavingTemporaries() throws IOException {
        try (DirectoryStateFolder folder = DirectoryStateFolder.open(temp.resolve("a/b"))) {
            assertEquals(Optional.empty(), folder.read("state.bin"));
            folder.writeAtomically("state.bin", new byte[] {1, 2});
            folder.writeAtomically("state.bin", new byte[] {3});
            assertArrayEquals(new byte[] {3}, folder.read("state.bin").orElseThrow());
            try (var names = Files.list(temp.resolve("a/b"))) {
                assertEquals(1, names.count(), "only the file itself");
            }
        }
    }

    @Test
    void appendsSyncsAndRotates() throws IOException {
        try (DirectoryStateFolder folder = DirectoryStateFolder.open(temp)) {
            folder.append("log.jsonl", "one\n".getBytes(StandardCharsets.UTF_8));
            folder.append("log.jsonl", "two\n".getBytes(StandardCharsets.UTF_8));
            folder.sync("log.jsonl");
            assertEquals(8, folder.size("log.jsonl"));
            folder.rename("log.jsonl", "log.1.jsonl");
            assertEquals(0, folder.size("log.jsonl"));
            folder.append("log.jsonl", "three\n".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals("one\ntwo\n", Files.readString(temp.resolve("log.1.jsonl")));
        assertEquals("three\n", Files.readString(temp.resolve("log.jsonl")));
    }

    @Test
    void acceptsOnlyPlainFileNames() throws IOException {
        try (DirectoryStateFolder folder = DirectoryStateFolder.open(temp)) {
            for (String name : new String[] {"../escape", "a/b", ".hidden", "", "x y"}) {
                assertThrows(IllegalArgumentException.class, () -> folder.read(name), name);
            }
            assertFalse(Files.exists(temp.resolve("../escape")));
        }
    }

    @Test
    void refusesAFileWhereTheFolderShouldBe() throws IOException {
        Path file = Files.writeString(temp.resolve("taken"), "x");
        IOException e = assertThrows(IOException.class, () -> DirectoryStateFolder.open(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }
}
