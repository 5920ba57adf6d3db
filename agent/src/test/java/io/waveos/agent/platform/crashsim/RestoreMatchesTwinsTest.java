package io.waveos.agent.platform.crashsim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.platform.Storage;
import io.waveos.agent.platform.fake.FakeStorage;
import io.waveos.bundles.platform.CrashingStorage;
import io.waveos.bundles.platform.SlotStorage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The restore's model is the reference twins' model: a seeded random sequence of operations goes
 * through the crash-shadow adapters on real files and through the twin ({@link FakeStorage} for
 * {@code Storage}, {@link CrashingStorage} for {@code SlotStorage}); after the twin's power cut and
 * the restore, both trees are the same, name for name and byte for byte (and mode for mode).
 */
class RestoreMatchesTwinsTest {
    private static final String[] DIRS = {"", "a", "a/b"};
    private static final String[] NAMES = {"f1", "f2", "f3"};

    @TempDir
    Path temp;

    static Stream<Long> seeds() {
        return Stream.iterate(1L, s -> s + 1).limit(100);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void storageRestoreEqualsFakeStoragePowerLoss(long seed) throws IOException {
        Path root = Files.createDirectories(temp.resolve("state"));
        FakeStorage twin = new FakeStorage();
        twin.createDirectories(root);
        Files.writeString(root.resolve("f1"), "baseline");
        twin.writeAtomically(root.resolve("f1"), "baseline".getBytes(StandardCharsets.UTF_8));
        Storage real = CrashShadow.open(temp.resolve("shadow"), List.of(root), root.resolve("updates")).storage();
        SplittableRandom r = new SplittableRandom(seed);
        List<Storage.AppendFile[]> handles = new ArrayList<>();
        Set<Path> volatilePaths = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            Path dir = root.resolve(DIRS[r.nextInt(DIRS.length)]);
            Path p = dir.resolve(NAMES[r.nextInt(NAMES.length)]);
            byte[] data = ("op" + i + "-" + r.nextInt(1000)).getBytes(StandardCharsets.UTF_8);
            int op = r.nextInt(10);
            both(() -> {
                switch (op) {
                    case 0 -> {
                        real.writeAtomically(p, data);
                        twin.writeAtomically(p, data);
                        volatilePaths.remove(p);
                    }
                    case 1 -> {
                        real.replaceAtomically(p, data);
                        twin.replaceAtomically(p, data);
                        volatilePaths.add(p);
                    }
                    case 2 -> {
                        Path to = dir.resolve(NAMES[r.nextInt(NAMES.length)]);
                        // FakeStorage keys a replacement's old content by path: a durable rename onto a path
                        // replaced without fsync keeps that old content there, which no file system does.
                        if (!volatilePaths.contains(to)) {
                            real.rename(p, to);
                            twin.rename(p, to);
                            if (volatilePaths.remove(p)) {
                                volatilePaths.add(to);
                            }
                        }
                    }
                    case 3 -> {
                        real.delete(p);
                        twin.delete(p);
                        volatilePaths.remove(p);
                    }
                    case 4 -> {
                        real.createDirectories(dir);
                        twin.createDirectories(dir);
                    }
                    case 5 -> handles.add(new Storage.AppendFile[] {real.openAppend(p), twin.openAppend(p)});
                    case 6, 7 -> {
                        if (!handles.isEmpty()) {
                            Storage.AppendFile[] h = handles.get(r.nextInt(handles.size()));
                            h[0].append(data);
                            h[1].append(data);
                        }
                    }
                    case 8 -> {
                        if (!handles.isEmpty()) {
                            Storage.AppendFile[] h = handles.get(r.nextInt(handles.size()));
                            h[0].sync();
                            h[1].sync();
                        }
                    }
                    default -> {
                        Path target = Path.of("f" + r.nextInt(3));
                        real.replaceSymlink(dir.resolve("link"), target);
                        twin.replaceSymlink(dir.resolve("link"), target);
                    }
                }
            });
        }
        twin.powerLoss();
        RestoreReport report = CrashRestorer.restore(temp.resolve("shadow"));

        assertEquals(twinTree(twin, root), diskTree(root, false), "seed " + seed + "\n" + report.text());
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void slotStorageRestoreEqualsCrashingStoragePowerCut(long seed) throws IOException {
        Path root = Files.createDirectories(temp.resolve("state"));
        CrashingStorage twin = new CrashingStorage();
        twin.createDirectories(root);
        Files.createDirectories(root.resolve("a"));
        twin.createDirectories(root.resolve("a"));
        Files.writeString(root.resolve("a/f1"), "baseline");
        try (SlotStorage.WritableFile w = twin.create(root.resolve("a/f1"))) {
            w.write("baseline".getBytes(StandardCharsets.UTF_8), 0, 8);
        }
        twin.syncAll();
        SlotStorage real = CrashShadow.open(temp.resolve("shadow"), List.of(root), root.resolve("updates")).slotStorage();
        SplittableRandom r = new SplittableRandom(seed);
        List<SlotStorage.WritableFile[]> open = new ArrayList<>();
        Map<SlotStorage.WritableFile[], Path> paths = new java.util.IdentityHashMap<>();
        for (int i = 0; i < 40; i++) {
            Path dir = root.resolve(DIRS[r.nextInt(DIRS.length)]);
            Path p = dir.resolve(NAMES[r.nextInt(NAMES.length)]);
            byte[] data = ("op" + i + "-" + r.nextInt(1000)).getBytes(StandardCharsets.UTF_8);
            int op = r.nextInt(11);
            both(() -> {
                switch (op) {
                    case 0 -> {
                        real.createDirectories(dir);
                        twin.createDirectories(dir);
                    }
                    case 1 -> {
                        if (!real.isDirectory(p)) {
                            // one writer per file: two Linux handles write at their own offsets, the twin's append
                            closeUnder(p, open, paths);
                            SlotStorage.WritableFile[] h = {real.create(p), twin.create(p)};
                            open.add(h);
                            paths.put(h, p);
                        }
                    }
                    case 2, 3 -> {
                        if (!open.isEmpty()) {
                            SlotStorage.WritableFile[] h = open.get(r.nextInt(open.size()));
                            h[0].write(data, 0, data.length);
                            h[1].write(data, 0, data.length);
                        }
                    }
                    case 4 -> {
                        if (!open.isEmpty()) {
                            SlotStorage.WritableFile[] h = open.get(r.nextInt(open.size()));
                            h[0].sync();
                            h[1].sync();
                        }
                    }
                    case 5, 6 -> {
                        real.syncDirectory(dir);
                        twin.syncDirectory(dir);
                    }
                    case 7 -> {
                        Path to = root.resolve(DIRS[r.nextInt(DIRS.length)]).resolve(NAMES[r.nextInt(NAMES.length)]);
                        if (!real.isDirectory(p) && !real.isDirectory(to)) {
                            if (!to.equals(p)) {
                                closeUnder(to, open, paths);
                            }
                            real.rename(p, to);
                            twin.rename(p, to);
                            open.stream().filter(h -> paths.get(h).equals(p)).forEach(h -> paths.put(h, to));
                        }
                    }
                    case 8 -> {
                        Path victim = r.nextInt(4) == 0 ? dir : p;
                        if (!victim.equals(root)) {
                            closeUnder(victim, open, paths);
                            real.deleteTree(victim);
                            twin.deleteTree(victim);
                        }
                    }
                    case 9 -> {
                        int mode = r.nextBoolean() ? 0755 : 0600;
                        real.setMode(p, mode);
                        twin.setMode(p, mode);
                    }
                    default -> {
                        if (!real.isDirectory(p)) {
                            real.writeAtomically(p, data);
                            twin.writeAtomically(p, data);
                        }
                    }
                }
            });
        }
        twin.powerCut();
        RestoreReport report = CrashRestorer.restore(temp.resolve("shadow"));

        assertEquals(crashingTree(twin, root), diskTree(root, true), "seed " + seed + "\n" + report.text());
    }

    /**
     * Closes the writers of files at or under {@code p} before their names go: a file written after its
     * name is gone is beyond the restore's model (it keeps what was captured when the name went), and
     * the agent never does it.
     */
    private static void closeUnder(Path p, List<SlotStorage.WritableFile[]> open,
            Map<SlotStorage.WritableFile[], Path> paths) throws IOException {
        for (SlotStorage.WritableFile[] h : List.copyOf(open)) {
            if (paths.get(h).startsWith(p)) {
                h[0].close();
                h[1].close();
                open.remove(h);
            }
        }
    }

    interface Step {
        void run() throws IOException;
    }

    /**
     * Runs one operation on both sides, real first. A failure (a missing parent or source) is part of
     * the sequence: the real side failed before the twin ran, and a side that failed alone shows as a
     * difference of the trees at the end.
     */
    private static void both(Step s) {
        try {
            s.run();
        } catch (IOException expected) {
            assertTrue(expected.getMessage() != null, "a failure names its path");
        }
    }

    private static Map<String, String> diskTree(Path root, boolean modes) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(x -> !x.equals(root)).toList()) {
                String key = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    out.put(key, "-> " + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.put(key, "dir");
                } else {
                    String mode = modes ? " " + Integer.toOctalString(CrashShadow.mode(Files.readAttributes(p,
                            PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS))) : "";
                    out.put(key, Files.readString(p) + mode);
                }
            }
        }
        return out;
    }

    private static Map<String, String> twinTree(FakeStorage twin, Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        walkTwin(twin, root, root, out);
        return out;
    }

    private static void walkTwin(FakeStorage twin, Path root, Path dir, Map<String, String> out) throws IOException {
        for (String name : twin.list(dir)) {
            Path p = dir.resolve(name);
            String key = root.relativize(p).toString();
            if (twin.symlinkTarget(p).isPresent()) {
                out.put(key, "-> " + twin.symlinkTarget(p).get());
                continue;
            }
            try {
                out.put(key, new String(twin.read(p).orElseThrow(), StandardCharsets.UTF_8));
            } catch (FileSystemException isADirectory) {
                out.put(key, "dir");
                walkTwin(twin, root, p, out);
            }
        }
    }

    private static Map<String, String> crashingTree(CrashingStorage twin, Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        walkCrashing(twin, root, root, out);
        return out;
    }

    private static void walkCrashing(CrashingStorage twin, Path root, Path dir, Map<String, String> out)
            throws IOException {
        for (String name : twin.list(dir)) {
            Path p = dir.resolve(name);
            String key = root.relativize(p).toString();
            if (twin.isDirectory(p)) {
                out.put(key, "dir");
                walkCrashing(twin, root, p, out);
            } else {
                out.put(key, new String(twin.read(p).orElseThrow(), StandardCharsets.UTF_8) + " "
                        + Integer.toOctalString(twin.mode(p)));
            }
        }
    }
}
