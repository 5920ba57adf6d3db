package io.waveos.agent.platform.fake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.platform.Storage;
import io.waveos.agent.platform.StorageContract;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeStorageTest extends StorageContract {

    private final FakeStorage storage = new FakeStorage();
    private final Path root = Path.of("/srv/waveos");

    @BeforeEach
    void createRoot() throws IOException {
        storage.createDirectories(root);
    }

    @Override
    protected Storage storage() {
        return storage;
    }

    @Override
    protected Path root() {
        return root;
    }

    @Test
    void powerLossDropsAppendsThatWereNeverSynced() throws IOException {
        Path log = root.resolve("events.jsonl");
        try (Storage.AppendFile file = storage.openAppend(log)) {
            file.append(bytes("lost"));
        }

        storage.powerLoss();

        assertArrayEquals(new byte[0], storage.read(log).orElseThrow());
    }

    @Test
    void powerLossKeepsWhatWasSyncedAndDropsOnlyTheTail() throws IOException {
        Path log = root.resolve("events.jsonl");
        try (Storage.AppendFile file = storage.openAppend(log)) {
            file.append(bytes("kept;"));
            file.sync();
            file.append(bytes("lost;"));
            assertEquals("kept;", text(storage.durableContent(log)));
        }

        storage.powerLoss();

        assertEquals("kept;", text(storage.read(log)));
    }

    @Test
    void atomicWritesAndDeletesAreDurableAtOnce() throws IOException {
        storage.writeAtomically(root.resolve("last_run.json"), bytes("{}"));
        storage.writeAtomically(root.resolve("clean_shutdown.json"), bytes("{}"));
        storage.delete(root.resolve("clean_shutdown.json"));

        storage.powerLoss();

        assertEquals("{}", text(storage.read(root.resolve("last_run.json"))));
        assertFalse(storage.exists(root.resolve("clean_shutdown.json")));
    }

    @Test
    void aFileCreatedForAppendSurvivesPowerLossEmpty() throws IOException {
        Path log = root.resolve("runs").resolve("r-1").resolve("events.jsonl");
        try (Storage.AppendFile file = storage.openAppend(log)) {
            file.append(bytes("unsynced"));
        }

        storage.powerLoss();

        assertTrue(storage.exists(log));
        assertEquals(0, storage.read(log).orElseThrow().length);
    }

    @Test
    void handlesOpenedBeforePowerLossRefuseToWrite() throws IOException {
        Storage.AppendFile file = storage.openAppend(root.resolve("events.jsonl"));

        storage.powerLoss();

        IOException e = assertThrows(IOException.class, () -> file.append(bytes("x")));
        assertTrue(e.getMessage().contains("power loss"), e.getMessage());
        assertThrows(IOException.class, file::sync);
    }

    @Test
    void closedHandlesRefuseToWrite() throws IOException {
        Storage.AppendFile file = storage.openAppend(root.resolve("events.jsonl"));
        file.close();

        assertThrows(IOException.class, () -> file.append(bytes("x")));
    }

    @Test
    void injectedFailuresMakeEveryMutationThrowWhileReadsWork() throws IOException {
        Path file = root.resolve("state");
        storage.writeAtomically(file, bytes("old"));
        Storage.AppendFile log = storage.openAppend(root.resolve("events.jsonl"));

        storage.failWrites(true);

        List<IOException> failures = List.of(
                assertThrows(IOException.class, () -> storage.writeAtomically(file, bytes("new"))),
                assertThrows(IOException.class, () -> log.append(bytes("x"))),
                assertThrows(IOException.class, log::sync),
                assertThrows(IOException.class, () -> storage.openAppend(root.resolve("other"))),
                assertThrows(IOException.class, () -> storage.createDirectories(root.resolve("d"))),
                assertThrows(IOException.class, () -> storage.delete(file)),
                assertThrows(IOException.class, () -> storage.replaceSymlink(root.resolve("l"), file)));
        for (IOException e : failures) {
            assertTrue(e.getMessage().startsWith("injected: "), e.getMessage());
        }
        assertEquals("old", text(storage.read(file)));
        assertEquals(List.of("events.jsonl", "state"), storage.list(root));
        assertEquals(0, log.size());
    }

    @Test
    void theMutationHookSeesEveryMutationInOrderAndCanRefuseOne() throws IOException {
        Path file = root.resolve("state");
        Storage.AppendFile log = storage.openAppend(root.resolve("events.jsonl"));
        List<String> seen = new java.util.ArrayList<>();
        storage.beforeEachMutation((op, path) -> {
            seen.add(op + " " + path);
            if (op.equals("rename")) {
                throw new IOException("power cut before " + op + " " + path);
            }
        });

        log.append(bytes("x"));
        log.sync();
        storage.writeAtomically(file, bytes("new"));
        storage.read(file);
        IOException refused = assertThrows(IOException.class, () -> storage.rename(file, root.resolve("moved")));

        assertEquals(List.of("append /srv/waveos/events.jsonl", "sync /srv/waveos/events.jsonl",
                "writeAtomically /srv/waveos/state", "rename /srv/waveos/state"), seen);
        assertEquals("power cut before rename /srv/waveos/state", refused.getMessage());
        assertEquals("new", text(storage.read(file)));
        assertFalse(storage.exists(root.resolve("moved")));
    }

    @Test
    void writesWorkAgainWhenInjectionIsTurnedOff() throws IOException {
        Path file = root.resolve("state");
        storage.failWrites(true);
        assertThrows(IOException.class, () -> storage.writeAtomically(file, bytes("first")));

        storage.failWrites(false);
        storage.writeAtomically(file, bytes("second"));

        assertEquals("second", text(storage.read(file)));
    }

    @Test
    void symlinkTargetIsReportedAsWritten() throws IOException {
        Path link = root.resolve("current");

        storage.replaceSymlink(link, Path.of("20261122T050000Z-1"));

        assertEquals(Optional.of(Path.of("20261122T050000Z-1")), storage.symlinkTarget(link));
        assertEquals(Optional.empty(), storage.symlinkTarget(root));
    }

    @Test
    void aSymlinkLoopIsAnErrorNotAHang() throws IOException {
        storage.replaceSymlink(root.resolve("a"), root.resolve("b"));
        storage.replaceSymlink(root.resolve("b"), root.resolve("a"));

        assertFalse(storage.exists(root.resolve("a")));
        IOException e = assertThrows(IOException.class, () -> storage.read(root.resolve("a")));
        assertTrue(e.getMessage().contains("too many levels of symbolic links"), e.getMessage());
    }

    @Test
    void aHandleKeepsWritingToTheFileItOpenedAfterTheNameIsReplaced() throws IOException {
        Path path = root.resolve("events.jsonl");
        Storage.AppendFile old = storage.openAppend(path);
        storage.writeAtomically(path, bytes("replacement"));

        old.append(bytes("to the old inode"));

        assertEquals("replacement", text(storage.read(path)));
        assertEquals(16, old.size());
    }

    @Test
    void relativePathsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> storage.read(Path.of("relative/file")));
        assertTrue(e.getMessage().contains("absolute"), e.getMessage());
    }

    @Test
    void powerLossUndoesAReplacementThatWasNotSynced() throws Exception {
        FakeStorage fake = new FakeStorage();
        Path dir = Path.of("/s");
        fake.createDirectories(dir);
        fake.writeAtomically(dir.resolve("a"), new byte[] {1});
        fake.replaceAtomically(dir.resolve("a"), new byte[] {2});
        fake.replaceAtomically(dir.resolve("b"), new byte[] {3});
        org.junit.jupiter.api.Assertions.assertArrayEquals(new byte[] {2}, fake.read(dir.resolve("a")).orElseThrow());
        fake.powerLoss();
        org.junit.jupiter.api.Assertions.assertArrayEquals(new byte[] {1}, fake.read(dir.resolve("a")).orElseThrow());
        org.junit.jupiter.api.Assertions.assertTrue(fake.read(dir.resolve("b")).isEmpty());
    }
}
