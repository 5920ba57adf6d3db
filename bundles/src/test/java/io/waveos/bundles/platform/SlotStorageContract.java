package io.waveos.bundles.platform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SlotStorage} must do outside of power cuts. Subclasses supply the storage and an
 * empty, existing root directory; the Linux adapter's test and the twin's test both extend this.
 */
public abstract class SlotStorageContract {

    /** The storage under test; called once per test. */
    protected abstract SlotStorage storage();

    /** An empty, existing absolute directory in {@link #storage()}. */
    protected abstract Path root();

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void write(SlotStorage s, Path file, String text) throws IOException {
        try (SlotStorage.WritableFile w = s.create(file)) {
            byte[] b = bytes(text);
            w.write(b, 0, b.length);
            w.sync();
        }
    }

    @Test
    void writtenFileReadsBackWithItsSize() throws IOException {
        SlotStorage s = storage();
        Path f = root().resolve("f");
        write(s, f, "hello");
        assertArrayEquals(bytes("hello"), s.read(f).orElseThrow());
        assertEquals(5, s.size(f));
        assertTrue(s.exists(f));
        assertFalse(s.isDirectory(f));
        try (InputStream in = s.open(f)) {
            assertArrayEquals(bytes("hello"), in.readAllBytes());
        }
    }

    @Test
    void createTruncatesAnExistingFile() throws IOException {
        SlotStorage s = storage();
        Path f = root().resolve("f");
        write(s, f, "long content");
        write(s, f, "short");
        assertArrayEquals(bytes("short"), s.read(f).orElseThrow());
    }

    @Test
    void streamViewWritesAndClosesTheFile() throws IOException {
        SlotStorage s = storage();
        Path f = root().resolve("f");
        SlotStorage.WritableFile w = s.create(f);
        try (OutputStream out = w.asStream()) {
            out.write(bytes("ab"));
            out.write('c');
        }
        assertThrows(IOException.class, () -> w.write(new byte[1], 0, 1));
        assertArrayEquals(bytes("abc"), s.read(f).orElseThrow());
    }

    @Test
    void readingAMissingFileIsEmptyAndListingAMissingDirectoryIsEmpty() throws IOException {
        SlotStorage s = storage();
        assertEquals(Optional.empty(), s.read(root().resolve("nothing")));
        assertEquals(List.of(), s.list(root().resolve("nothing")));
        assertFalse(s.exists(root().resolve("nothing")));
    }

    @Test
    void createNeedsAnExistingParent() {
        SlotStorage s = storage();
        assertThrows(IOException.class, () -> s.create(root().resolve("no/such/parent")));
    }

    @Test
    void createDirectoriesMakesParentsAndIsIdempotent() throws IOException {
        SlotStorage s = storage();
        Path d = root().resolve("a/b/c");
        s.createDirectories(d);
        s.createDirectories(d);
        assertTrue(s.isDirectory(d));
        assertEquals(List.of("b"), s.list(root().resolve("a")));
        s.syncDirectory(d);
    }

    @Test
    void listIsSorted() throws IOException {
        SlotStorage s = storage();
        write(s, root().resolve("b"), "");
        write(s, root().resolve("a"), "");
        s.createDirectories(root().resolve("c"));
        assertEquals(List.of("a", "b", "c"), s.list(root()));
    }

    @Test
    void renameReplacesTheTarget() throws IOException {
        SlotStorage s = storage();
        write(s, root().resolve("new"), "new");
        write(s, root().resolve("old"), "old");
        s.rename(root().resolve("new"), root().resolve("old"));
        assertEquals(List.of("old"), s.list(root()));
        assertArrayEquals(bytes("new"), s.read(root().resolve("old")).orElseThrow());
    }

    @Test
    void writeAtomicallyReplacesContentAndLeavesNoTemporaryName() throws IOException {
        SlotStorage s = storage();
        Path f = root().resolve("state.json");
        s.writeAtomically(f, bytes("one"));
        s.writeAtomically(f, bytes("two"));
        assertArrayEquals(bytes("two"), s.read(f).orElseThrow());
        assertEquals(List.of("state.json"), s.list(root()));
    }

    @Test
    void deleteTreeRemovesADirectoryWithContentAndIgnoresMissingPaths() throws IOException {
        SlotStorage s = storage();
        Path d = root().resolve("slot");
        s.createDirectories(d.resolve("bin"));
        write(s, d.resolve("bin/app"), "x");
        s.deleteTree(d);
        s.deleteTree(d);
        assertFalse(s.exists(d));
        assertEquals(List.of(), s.list(root()));
    }

    @Test
    void modeIsSetAndRead() throws IOException {
        SlotStorage s = storage();
        Path f = root().resolve("f");
        write(s, f, "x");
        s.setMode(f, 0750);
        assertEquals(0750, s.mode(f));
        s.setMode(f, 0600);
        assertEquals(0600, s.mode(f));
    }

    @Test
    void usableSpaceIsPositive() throws IOException {
        assertTrue(storage().usableSpace(root()) > 0);
    }
}
