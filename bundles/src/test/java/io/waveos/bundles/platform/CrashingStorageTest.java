package io.waveos.bundles.platform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CrashingStorageTest {

    private final CrashingStorage s = new CrashingStorage();
    private final Path dir = Path.of("/data");

    @BeforeEach
    void durableDataDirectory() throws IOException {
        s.createDirectories(dir);
        s.syncAll();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private SlotStorage.WritableFile write(Path f, String text, boolean sync) throws IOException {
        SlotStorage.WritableFile w = s.create(f);
        w.write(bytes(text), 0, text.length());
        if (sync) {
            w.sync();
        }
        return w;
    }

    @Test
    void aHookThatCutsAtZeroRefusesThatVeryOperationAndEverythingAfter() throws IOException {
        Path f = dir.resolve("state.json");
        List<String> seen = new java.util.ArrayList<>();
        s.beforeEachMutation((op, path) -> {
            seen.add(op + " " + path);
            if (op.equals("rename")) {
                s.cutAt(0);
            }
        });
        write(f.resolveSibling(".state.json.tmp"), "new", true).close();

        PowerCutException refused = assertThrows(PowerCutException.class,
                () -> s.rename(f.resolveSibling(".state.json.tmp"), f));

        assertEquals("power cut before rename /data/.state.json.tmp", refused.getMessage());
        assertEquals(List.of("create /data/.state.json.tmp", "write /data/.state.json.tmp", "sync /data/.state.json.tmp",
                "rename /data/.state.json.tmp"), seen);
        assertEquals(List.of("createDirectories /data", "create /data/.state.json.tmp", "write /data/.state.json.tmp",
                "sync /data/.state.json.tmp"), s.mutations());
        assertTrue(s.isDown());
        assertThrows(PowerCutException.class, () -> s.syncDirectory(dir));
        assertEquals(4, seen.size(), "a dead storage asks the hook no more");
    }

    @Test
    void syncedFileInSyncedDirectorySurvives() throws IOException {
        write(dir.resolve("f"), "kept", true).close();
        s.syncDirectory(dir);
        s.powerCut();
        assertArrayEquals(bytes("kept"), s.read(dir.resolve("f")).orElseThrow());
    }

    @Test
    void syncedFileWithoutDirectorySyncLosesItsName() throws IOException {
        write(dir.resolve("f"), "data", true).close();
        s.powerCut();
        assertFalse(s.exists(dir.resolve("f")));
    }

    @Test
    void fileContentWithoutSyncIsLostEvenWhenTheNameIsDurable() throws IOException {
        write(dir.resolve("f"), "unsynced", false).close();
        s.syncDirectory(dir);
        s.powerCut();
        assertArrayEquals(new byte[0], s.read(dir.resolve("f")).orElseThrow());
    }

    @Test
    void rewriteWithoutSyncFallsBackToTheOldContent() throws IOException {
        write(dir.resolve("f"), "old", true).close();
        s.syncDirectory(dir);
        write(dir.resolve("f"), "new", false).close();
        s.powerCut();
        assertArrayEquals(bytes("old"), s.read(dir.resolve("f")).orElseThrow());
    }

    @Test
    void unsyncedRenameIsLost() throws IOException {
        write(dir.resolve("tmp"), "new", true).close();
        s.syncDirectory(dir);
        s.rename(dir.resolve("tmp"), dir.resolve("real"));
        s.powerCut();
        assertEquals(List.of("tmp"), s.list(dir));
    }

    @Test
    void syncedRenameIsKept() throws IOException {
        write(dir.resolve("tmp"), "new", true).close();
        s.rename(dir.resolve("tmp"), dir.resolve("real"));
        s.syncDirectory(dir);
        s.powerCut();
        assertEquals(List.of("real"), s.list(dir));
        assertArrayEquals(bytes("new"), s.read(dir.resolve("real")).orElseThrow());
    }

    @Test
    void unsyncedMkdirIsLostWithEverythingInIt() throws IOException {
        s.createDirectories(dir.resolve("sub"));
        write(dir.resolve("sub/f"), "x", true).close();
        s.syncDirectory(dir.resolve("sub"));
        s.powerCut();
        assertFalse(s.exists(dir.resolve("sub")));
    }

    @Test
    void unsyncedDeleteIsUndone() throws IOException {
        write(dir.resolve("f"), "x", true).close();
        s.syncDirectory(dir);
        s.deleteTree(dir.resolve("f"));
        assertFalse(s.exists(dir.resolve("f")));
        s.powerCut();
        assertArrayEquals(bytes("x"), s.read(dir.resolve("f")).orElseThrow());
    }

    @Test
    void modeIsDurableOnlyWithTheFileSync() throws IOException {
        SlotStorage.WritableFile w = write(dir.resolve("f"), "x", true);
        s.syncDirectory(dir);
        s.setMode(dir.resolve("f"), 0755);
        s.powerCut();
        assertEquals(0644, s.mode(dir.resolve("f")));
        assertThrows(IOException.class, w::sync);
    }

    @Test
    void tornCutKeepsOnlyPrefixesOfUnsyncedContent() throws IOException {
        Set<String> seen = new HashSet<>();
        for (long seed = 0; seed < 60; seed++) {
            CrashingStorage t = new CrashingStorage();
            t.createDirectories(dir);
            t.syncAll();
            try (SlotStorage.WritableFile w = t.create(dir.resolve("f"))) {
                w.write(bytes("abcdefgh"), 0, 8);
            }
            t.syncDirectory(dir);
            t.powerCut(seed);
            byte[] got = t.read(dir.resolve("f")).orElseThrow();
            assertArrayEquals(Arrays.copyOf(bytes("abcdefgh"), got.length), got, "a prefix");
            seen.add(new String(got, StandardCharsets.UTF_8));
        }
        assertTrue(seen.contains(""), "sometimes nothing survives");
        assertTrue(seen.contains("abcdefgh"), "sometimes everything survives");
        assertTrue(seen.size() > 3, "sometimes a strict prefix survives: " + seen);
    }

    @Test
    void tornCutKeepsOrLosesEachDirectoryChangeIndependently() throws IOException {
        Set<List<String>> seen = new HashSet<>();
        for (long seed = 0; seed < 60; seed++) {
            CrashingStorage t = new CrashingStorage();
            t.createDirectories(dir);
            t.syncAll();
            for (String n : List.of("x", "y")) {
                try (SlotStorage.WritableFile w = t.create(dir.resolve(n))) {
                    w.sync();
                }
            }
            t.powerCut(seed);
            seen.add(t.list(dir));
        }
        assertEquals(Set.of(List.of(), List.of("x"), List.of("y"), List.of("x", "y")), seen);
    }

    @Test
    void scheduledCutFailsTheKthMutationAndEverythingAfterUntilPowerCut() throws IOException {
        s.cutAt(2);
        SlotStorage.WritableFile w = s.create(dir.resolve("f"));
        w.write(bytes("a"), 0, 1);
        assertThrows(PowerCutException.class, w::sync);
        assertTrue(s.isDown());
        assertThrows(PowerCutException.class, () -> s.read(dir.resolve("f")));
        assertThrows(PowerCutException.class, () -> s.createDirectories(dir.resolve("d")));
        s.powerCut();
        assertFalse(s.isDown());
        assertEquals(List.of("createDirectories /data", "create /data/f", "write /data/f"), s.mutations());
        s.createDirectories(dir.resolve("d"));
        assertEquals(4, s.mutationCount());
    }
}
