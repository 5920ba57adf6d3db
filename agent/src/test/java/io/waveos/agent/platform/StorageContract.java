package io.waveos.agent.platform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Storage} must do, run against each implementation: extend it, and return a fresh
 * storage and an existing, empty, writable directory for each test.
 *
 * <p>Durability after a power cut cannot be observed here; the fake's own tests cover it.
 */
public abstract class StorageContract {

    protected abstract Storage storage();

    /** An existing empty directory the test may fill. */
    protected abstract Path root();

    @Test
    void atomicWriteCreatesAFileWithExactlyTheGivenBytes() throws IOException {
        Path file = root().resolve("state.json");

        storage().writeAtomically(file, bytes("{\"n\":1}"));

        assertEquals("{\"n\":1}", text(storage().read(file)));
        assertTrue(storage().exists(file));
    }

    @Test
    void atomicWriteReplacesTheWholeOldContent() throws IOException {
        Path file = root().resolve("state.json");
        storage().writeAtomically(file, bytes("a much longer first version"));

        storage().writeAtomically(file, bytes("short"));

        assertEquals("short", text(storage().read(file)));
    }

    @Test
    void atomicWriteOfNoBytesLeavesAnEmptyFile() throws IOException {
        Path file = root().resolve("empty");

        storage().writeAtomically(file, new byte[0]);

        assertArrayEquals(new byte[0], storage().read(file).orElseThrow());
    }

    @Test
    void atomicWriteIntoAMissingDirectoryFails() {
        Path file = root().resolve("missing").resolve("state.json");

        assertThrows(IOException.class, () -> storage().writeAtomically(file, bytes("x")));
        assertFalse(storage().exists(file));
    }

    @Test
    void atomicWriteDoesNotKeepAReferenceToTheCallersArray() throws IOException {
        Path file = root().resolve("state");
        byte[] data = bytes("abc");

        storage().writeAtomically(file, data);
        data[0] = 'X';

        assertEquals("abc", text(storage().read(file)));
    }

    @Test
    void atomicWriteOverASymlinkReplacesTheLinkNotItsTarget() throws IOException {
        Path target = root().resolve("target");
        storage().writeAtomically(target, bytes("target"));
        Path link = root().resolve("link");
        storage().replaceSymlink(link, target);

        storage().writeAtomically(link, bytes("replaced"));

        assertEquals("target", text(storage().read(target)));
        assertEquals("replaced", text(storage().read(link)));
    }

    @Test
    void readingAMissingFileGivesEmpty() throws IOException {
        assertEquals(Optional.empty(), storage().read(root().resolve("nothing-here")));
        assertFalse(storage().exists(root().resolve("nothing-here")));
    }

    @Test
    void readingADirectoryFails() throws IOException {
        Path directory = root().resolve("dir");
        storage().createDirectories(directory);

        assertThrows(IOException.class, () -> storage().read(directory));
    }

    @Test
    void appendsAccumulateInOrderAndSizeCountsThem() throws IOException {
        Path log = root().resolve("events.jsonl");

        try (Storage.AppendFile file = storage().openAppend(log)) {
            assertEquals(0, file.size());
            file.append(bytes("ab"));
            assertEquals(2, file.size());
            file.append(bytes("cde"));
            assertEquals(5, file.size());
            file.sync();
            assertEquals(5, file.size());
        }

        assertEquals("abcde", text(storage().read(log)));
    }

    @Test
    void appendedBytesAreReadableBeforeSync() throws IOException {
        Path log = root().resolve("events.jsonl");

        try (Storage.AppendFile file = storage().openAppend(log)) {
            file.append(bytes("not yet synced"));

            assertEquals("not yet synced", text(storage().read(log)));
        }
    }

    @Test
    void reopeningAnAppendFileContinuesAtItsEnd() throws IOException {
        Path log = root().resolve("events.jsonl");
        try (Storage.AppendFile file = storage().openAppend(log)) {
            file.append(bytes("one;"));
            file.sync();
        }

        try (Storage.AppendFile file = storage().openAppend(log)) {
            assertEquals(4, file.size());
            file.append(bytes("two;"));
            file.sync();
        }

        assertEquals("one;two;", text(storage().read(log)));
    }

    @Test
    void openingForAppendCreatesTheFileAndItsParents() throws IOException {
        Path log = root().resolve("runs").resolve("r-1").resolve("events.jsonl");

        try (Storage.AppendFile file = storage().openAppend(log)) {
            assertEquals(0, file.size());
            assertTrue(storage().exists(log));
            assertEquals(List.of("r-1"), storage().list(root().resolve("runs")));
        }

        assertArrayEquals(new byte[0], storage().read(log).orElseThrow());
    }

    @Test
    void createDirectoriesMakesEveryLevelAndMayBeRepeated() throws IOException {
        Path deep = root().resolve("a").resolve("b").resolve("c");

        storage().createDirectories(deep);
        storage().createDirectories(deep);

        assertTrue(storage().exists(deep));
        assertEquals(List.of("b"), storage().list(root().resolve("a")));
    }

    @Test
    void createDirectoriesThroughAFileFails() throws IOException {
        Path file = root().resolve("plain");
        storage().writeAtomically(file, bytes("x"));

        assertThrows(IOException.class, () -> storage().createDirectories(file.resolve("sub")));
    }

    @Test
    void listGivesEntryNamesSortedWhateverTheirKind() throws IOException {
        storage().writeAtomically(root().resolve("b.json"), bytes("b"));
        storage().createDirectories(root().resolve("c"));
        storage().writeAtomically(root().resolve("a.json"), bytes("a"));
        storage().replaceSymlink(root().resolve("B-link"), root().resolve("c"));

        assertEquals(List.of("B-link", "a.json", "b.json", "c"), storage().list(root()));
    }

    @Test
    void listingAMissingDirectoryGivesEmpty() throws IOException {
        assertEquals(List.of(), storage().list(root().resolve("no-such-dir")));
    }

    @Test
    void listingAFileFails() throws IOException {
        Path file = root().resolve("plain");
        storage().writeAtomically(file, bytes("x"));

        assertThrows(IOException.class, () -> storage().list(file));
    }

    @Test
    void replaceSymlinkCreatesALinkThatPathsGoThrough() throws IOException {
        Path runA = root().resolve("runs").resolve("a");
        storage().createDirectories(runA);
        storage().writeAtomically(runA.resolve("meta"), bytes("run a"));
        Path current = root().resolve("runs").resolve("current");

        storage().replaceSymlink(current, runA);

        assertEquals("run a", text(storage().read(current.resolve("meta"))));
        assertEquals(List.of("meta"), storage().list(current));
    }

    @Test
    void replaceSymlinkRepointsAnExistingLink() throws IOException {
        Path runs = root().resolve("runs");
        storage().createDirectories(runs.resolve("a"));
        storage().createDirectories(runs.resolve("b"));
        storage().writeAtomically(runs.resolve("a").resolve("meta"), bytes("run a"));
        storage().writeAtomically(runs.resolve("b").resolve("meta"), bytes("run b"));
        Path current = runs.resolve("current");
        storage().replaceSymlink(current, runs.resolve("a"));

        storage().replaceSymlink(current, runs.resolve("b"));

        assertEquals("run b", text(storage().read(current.resolve("meta"))));
        assertEquals(List.of("a", "b", "current"), storage().list(runs));
    }

    @Test
    void aRelativeSymlinkTargetIsResolvedAgainstTheLinksDirectory() throws IOException {
        Path runs = root().resolve("runs");
        storage().createDirectories(runs.resolve("20261122T050000Z-1"));
        storage().writeAtomically(runs.resolve("20261122T050000Z-1").resolve("meta"), bytes("one"));

        storage().replaceSymlink(runs.resolve("current"), Path.of("20261122T050000Z-1"));

        assertEquals("one", text(storage().read(runs.resolve("current").resolve("meta"))));
    }

    @Test
    void aDanglingSymlinkDoesNotExistButIsListed() throws IOException {
        Path link = root().resolve("current");

        storage().replaceSymlink(link, root().resolve("gone"));

        assertFalse(storage().exists(link));
        assertEquals(List.of("current"), storage().list(root()));
    }

    @Test
    void deleteRemovesAFileAndSaysSo() throws IOException {
        Path file = root().resolve("clean_shutdown.json");
        storage().writeAtomically(file, bytes("{}"));

        assertTrue(storage().delete(file));

        assertFalse(storage().exists(file));
        assertEquals(Optional.empty(), storage().read(file));
        assertEquals(List.of(), storage().list(root()));
    }

    @Test
    void deletingAMissingFileSaysNothingWasDeleted() throws IOException {
        assertFalse(storage().delete(root().resolve("never-was")));
    }

    @Test
    void deletingASymlinkRemovesTheLinkNotItsTarget() throws IOException {
        Path target = root().resolve("target");
        storage().writeAtomically(target, bytes("kept"));
        Path link = root().resolve("link");
        storage().replaceSymlink(link, target);

        assertTrue(storage().delete(link));

        assertEquals("kept", text(storage().read(target)));
        assertEquals(List.of("target"), storage().list(root()));
    }

    @Test
    void deletingANonEmptyDirectoryFails() throws IOException {
        Path dir = root().resolve("dir");
        storage().createDirectories(dir);
        storage().writeAtomically(dir.resolve("f"), bytes("x"));

        assertThrows(IOException.class, () -> storage().delete(dir));
        assertTrue(storage().exists(dir.resolve("f")));
    }

    protected static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    protected static String text(Optional<byte[]> content) {
        return new String(content.orElseThrow(() -> new AssertionError("file is missing")), StandardCharsets.UTF_8);
    }

    @Test
    void replaceAtomicallySwapsTheWholeContent() throws Exception {
        Path file = root().resolve("pids.json");
        storage().replaceAtomically(file, "old".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        storage().replaceAtomically(file, "new content".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        org.junit.jupiter.api.Assertions.assertEquals("new content",
                new String(storage().read(file).orElseThrow(), java.nio.charset.StandardCharsets.UTF_8));
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of("pids.json"), storage().list(root()));
    }

    @Test
    void renameMovesTheFileAndReplacesTheTarget() throws IOException {
        Path a = root().resolve("metrics.csv");
        Path b = root().resolve("metrics.csv.1");
        storage().writeAtomically(a, bytes("new"));
        storage().writeAtomically(b, bytes("old"));

        storage().rename(a, b);

        assertEquals("new", text(storage().read(b)));
        assertFalse(storage().exists(a));
        assertEquals(List.of("metrics.csv.1"), storage().list(root()));
    }

    @Test
    void renamingAMissingFileFails() {
        assertThrows(java.nio.file.NoSuchFileException.class,
                () -> storage().rename(root().resolve("absent"), root().resolve("b")));
    }

    @Test
    void writePrivatelyWritesTheBytes() throws IOException {
        Path key = root().resolve("key.pem");
        storage().writePrivately(key, bytes("secret key"));
        assertEquals("secret key", text(storage().read(key)));
    }
}
