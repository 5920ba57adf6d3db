package io.waveos.agent.platform.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.bundles.install.Criterion;
import io.waveos.bundles.install.PayloadStream;
import io.waveos.bundles.install.RollbackReason;
import io.waveos.bundles.install.SlotInstaller;
import io.waveos.bundles.manifest.Compatibility;
import io.waveos.bundles.manifest.Kind;
import io.waveos.bundles.manifest.Manifest;
import io.waveos.bundles.manifest.PayloadFile;
import io.waveos.bundles.platform.SlotStorage;
import io.waveos.bundles.platform.SlotStorageContract;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared {@link SlotStorageContract} on a real file system, plus what only Linux can show. */
class LinuxSlotStorageTest extends SlotStorageContract {

    @TempDir
    Path root;

    @Override
    protected SlotStorage storage() {
        return new LinuxSlotStorage();
    }

    @Override
    protected Path root() {
        return root;
    }

    @Test
    void deleteTreeRemovesALinkButNotItsTarget() throws Exception {
        Path outside = Files.writeString(root.resolve("outside"), "keep");
        Path slot = Files.createDirectories(root.resolve("slot"));
        Files.createSymbolicLink(slot.resolve("link"), outside);
        new LinuxSlotStorage().deleteTree(slot);
        assertTrue(Files.exists(outside));
        assertTrue(Files.notExists(slot));
    }

    @Test
    void aLargeFileStartsEarlyWriteBacksAndStillHoldsEveryByteAfterSync() throws Exception {
        LinuxSlotStorage storage = new LinuxSlotStorage();
        byte[] chunk = new byte[64 * 1024];
        java.util.Random random = new java.util.Random(3);
        java.security.MessageDigest written = java.security.MessageDigest.getInstance("SHA-256");
        Path big = root.resolve("big");
        int chunks = (int) (LinuxSlotStorage.WRITEBACK_BYTES * 5 / 2 / chunk.length);
        try (SlotStorage.WritableFile w = storage.create(big)) {
            for (int i = 0; i < chunks; i++) {
                random.nextBytes(chunk);
                written.update(chunk);
                w.write(chunk, 0, chunk.length);
            }
            w.sync();
        }
        assertTrue(storage.writebacksStarted() >= 1, "2.5 x the write-back step starts at least one: "
                + storage.writebacksStarted());
        assertTrue(storage.writebacksStarted() <= 2, "at most one per step: " + storage.writebacksStarted());
        assertArrayEquals(written.digest(), java.security.MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(big)));

        long before = storage.writebacksStarted();
        try (SlotStorage.WritableFile w = storage.create(root.resolve("small"))) {
            w.asStream().write(chunk);
            w.sync();
        }
        assertEquals(Files.size(root.resolve("small")), chunk.length);
        assertEquals(before, storage.writebacksStarted(), "a small file starts none");
    }

    @Test
    void modeReachesTheFileSystem() throws Exception {
        Path f = Files.writeString(root.resolve("f"), "x");
        new LinuxSlotStorage().setMode(f, 0751);
        assertTrue(Files.getPosixFilePermissions(f).toString().contains("OTHERS_EXECUTE"));
    }

    @Test
    void anInstallRollBackAndRecoveryRunOnRealFiles() throws Exception {
        SlotInstaller installer = new SlotInstaller(new LinuxSlotStorage(), root);
        Manifest m1 = manifest(1, "hello");
        installer.install(m1, stream(m1, "hello"), 0);
        installer.commit("app");
        Manifest m2 = manifest(2, "world");
        installer.install(m2, stream(m2, "world"), 0);
        Path slotB = installer.active("app").orElseThrow().dir();
        assertEquals(0750, new LinuxSlotStorage().mode(slotB.resolve("bin/app")));
        installer.rollBack("app", new RollbackReason(Criterion.MANUAL, Map.of()));
        assertArrayEquals(bytes("hello"),
                Files.readAllBytes(installer.active("app").orElseThrow().dir().resolve("bin/app")));
        assertTrue(installer.recover().isEmpty());
        assertEquals(1, installer.floor("app"));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A manifest as the verifier would hand it over: one executable file. */
    private static Manifest manifest(long version, String content) throws Exception {
        byte[] b = bytes(content);
        PayloadFile f = new PayloadFile("bin/app", b.length, MessageDigest.getInstance("SHA-256").digest(b), 0750);
        Instant created = Instant.parse("2026-01-01T00:00:00Z");
        return new Manifest(Manifest.FORMAT, "app-" + version, Kind.APP, "app", version, "v" + version, created,
                created.plus(Duration.ofDays(1)), new Compatibility(List.of("box"), "0.1.0"), List.of(f),
                List.of(), Optional.empty());
    }

    private static PayloadStream stream(Manifest m, String content) {
        return sink -> {
            PayloadFile f = m.files().get(0);
            try (OutputStream out = sink.open(f)) {
                out.write(bytes(content));
            }
            sink.completed(f);
        };
    }
}
