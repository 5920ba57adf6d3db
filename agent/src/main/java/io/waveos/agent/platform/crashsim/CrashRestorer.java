package io.waveos.agent.platform.crashsim;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The power cut's effect on the disk, applied after the fact: once the rig has SIGKILLed the agent and
 * its services (the page cache kept everything), {@link #restore} rewrites the tracked folders to the
 * durable image the journal describes: unsynced appends truncated, unsynced renames undone, writes
 * without fsync brought back to their older content or removed, deletions that were not durable
 * brought back. What the journal does not know is left alone: the baseline (what existed before the
 * agent first ran, or at the last restore), files the rig {@link #registerDurable registered}, and the
 * rest, which the report lists as unknown writers. Then the journal is archived under
 * {@code epochs/N/} and everything on disk is the next epoch's baseline.
 *
 * <p>Run it only while no process writes the tracked folders.
 */
public final class CrashRestorer {
    static final String REGISTERED = "registered";
    static final String EPOCHS = "epochs";

    private CrashRestorer() {
    }

    /** Counts a file the rig dropped into a tracked folder as durable (e.g. a bundle pushed into the inbox). */
    public static void registerDurable(Path shadowDir, Path file) throws IOException {
        Files.createDirectories(shadowDir);
        Files.writeString(shadowDir.resolve(REGISTERED), ShadowModel.norm(file) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Rewrites the tracked folders to what the power cut kept; see the class. */
    public static RestoreReport restore(Path shadowDir) throws IOException {
        Path dir = ShadowModel.norm(shadowDir);
        RestoreReport.Builder report = new RestoreReport.Builder();
        if (!Files.exists(dir.resolve(ShadowJournal.FILE))) {
            report.problem("no journal in " + dir + ": nothing was written through the crash-shadow storage");
            return report.build();
        }
        ShadowJournal.Replayed replayed = ShadowJournal.replay(dir, List.of());
        replayed.problems().forEach(report::problem);
        replayed.resolvedAtEnd().ifPresent(done -> report.problem("the agent was killed inside a storage operation; "
                + "it " + (done ? "had" : "had not") + " reached the disk"));
        ShadowModel model = replayed.model();
        Map<Path, ShadowModel.Node> image = model.durableImage();
        Map<ShadowModel.Node, Path> where = model.currentLocations();
        Map<Path, byte[]> staged = stage(dir, image, where, report);
        Set<Path> known = new HashSet<>(model.named());
        known.addAll(where.values());
        known.addAll(image.keySet());
        List<Path> deepestFirst = new ArrayList<>(known);
        deepestFirst.sort(Comparator.comparingInt(Path::getNameCount).reversed().thenComparing(Comparator.naturalOrder()));
        for (Path p : deepestFirst) {
            if (!image.containsKey(p) && model.tracked(p) && Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                remove(p, report);
            }
        }
        for (Map.Entry<Path, ShadowModel.Node> e : image.entrySet()) {
            rebuild(e.getKey(), e.getValue(), where, staged, report);
        }
        unknown(dir, model, known, report);
        archive(dir, model.roots());
        return report.build();
    }

    /** Reads every durable content that is not already in place, before anything is removed. */
    private static Map<Path, byte[]> stage(Path dir, Map<Path, ShadowModel.Node> image,
            Map<ShadowModel.Node, Path> where, RestoreReport.Builder report) throws IOException {
        Map<Path, byte[]> staged = new TreeMap<>();
        for (Map.Entry<Path, ShadowModel.Node> e : image.entrySet()) {
            if (!(e.getValue() instanceof ShadowModel.FileNode f)) {
                continue;
            }
            if (f.durable instanceof ShadowModel.Blob b) {
                staged.put(e.getKey(), Files.readAllBytes(dir.resolve(CrashShadow.BLOBS).resolve(b.name())));
            } else if (f.durable instanceof ShadowModel.Prefix prefix) {
                Path at = where.get(f);
                if (prefix.length() == 0 && !e.getKey().equals(at)) {
                    staged.put(e.getKey(), new byte[0]);
                    continue;
                }
                if (e.getKey().equals(at)) {
                    continue; // in place: truncated by rebuild
                }
                if (at == null || !Files.isRegularFile(at, LinkOption.NOFOLLOW_LINKS)) {
                    report.problem(e.getKey() + ": its durable " + prefix.length() + " bytes are neither on disk nor "
                            + "captured; left as it is");
                    continue;
                }
                staged.put(e.getKey(), readPrefix(at, prefix.length()));
            }
        }
        return staged;
    }

    private static byte[] readPrefix(Path file, long length) throws IOException {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            return in.readNBytes(Math.toIntExact(length));
        }
    }

    private static void remove(Path p, RestoreReport.Builder report) throws IOException {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> s = Files.list(p)) {
                if (s.findAny().isPresent()) {
                    return; // only unknown writers' files are left in it: they are listed, never deleted
                }
            }
        }
        Files.delete(p);
        report.removed(p.toString());
    }

    private static void rebuild(Path p, ShadowModel.Node n, Map<ShadowModel.Node, Path> where,
            Map<Path, byte[]> staged, RestoreReport.Builder report) throws IOException {
        if (n instanceof ShadowModel.Dir) {
            if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                clear(p);
                Files.createDirectory(p);
                report.restored(p + "/");
            }
        } else if (n instanceof ShadowModel.Link l) {
            if (!Files.isSymbolicLink(p) || !Files.readSymbolicLink(p).toString().equals(l.target)) {
                clear(p);
                Files.createSymbolicLink(p, Path.of(l.target));
                report.restored(p + " -> " + l.target);
            }
        } else if (n instanceof ShadowModel.FileNode f) {
            rebuildFile(p, f, where, staged, report);
        }
    }

    private static void rebuildFile(Path p, ShadowModel.FileNode f, Map<ShadowModel.Node, Path> where,
            Map<Path, byte[]> staged, RestoreReport.Builder report) throws IOException {
        if (staged.containsKey(p)) {
            byte[] bytes = staged.get(p);
            boolean same = Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && Arrays.equals(Files.readAllBytes(p), bytes);
            if (!same) {
                clear(p);
                Files.write(p, bytes);
                report.restored(p + " (" + bytes.length + " bytes)");
            }
        } else if (f.durable instanceof ShadowModel.Prefix prefix && p.equals(where.get(f))) {
            long size = Files.size(p);
            if (size > prefix.length()) {
                try (FileChannel c = FileChannel.open(p, StandardOpenOption.WRITE)) {
                    c.truncate(prefix.length());
                }
                report.truncated(p + " (" + size + " -> " + prefix.length() + " bytes)");
            } else if (size < prefix.length()) {
                report.problem(p + " holds " + size + " bytes, fewer than its durable " + prefix.length());
            }
        }
        if (f.durableMode >= 0 && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && CrashShadow.mode(
                Files.readAttributes(p, java.nio.file.attribute.PosixFileAttributes.class)) != f.durableMode) {
            Files.setPosixFilePermissions(p, permissions(f.durableMode));
            report.restored(p + " (mode " + Integer.toOctalString(f.durableMode) + ")");
        }
    }

    /** Removes whatever is at {@code p} (a file, a link, a folder of known things) to make room. */
    private static void clear(Path p) throws IOException {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> s = Files.walk(p)) {
                for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(x);
                }
            }
        } else {
            Files.deleteIfExists(p);
        }
    }

    private static Set<java.nio.file.attribute.PosixFilePermission> permissions(int mode) {
        Set<java.nio.file.attribute.PosixFilePermission> out = new HashSet<>();
        java.nio.file.attribute.PosixFilePermission[] order = java.nio.file.attribute.PosixFilePermission.values();
        for (int i = 0; i < order.length; i++) {
            if ((mode & (1 << (order.length - 1 - i))) != 0) {
                out.add(order[i]);
            }
        }
        return out;
    }

    /** Files under the roots that nobody the journal knows wrote: listed, left alone. */
    private static void unknown(Path dir, ShadowModel model, Set<Path> known, RestoreReport.Builder report)
            throws IOException {
        Set<String> expected = new HashSet<>(lines(dir.resolve(CrashShadow.BASELINE)));
        expected.addAll(lines(dir.resolve(REGISTERED)));
        for (Path r : model.roots()) {
            if (!Files.isDirectory(r)) {
                continue;
            }
            try (Stream<Path> s = Files.walk(r)) {
                s.filter(x -> Files.isRegularFile(x, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(x))
                        .filter(x -> !known.contains(x) && !expected.contains(x.toString()))
                        .sorted().forEach(x -> report.unknown(x.toString()));
            }
        }
    }

    private static List<String> lines(Path file) throws IOException {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    /** Moves the journal and its blobs to {@code epochs/N/}; what is on disk now is the next baseline. */
    private static void archive(Path dir, List<Path> roots) throws IOException {
        Path epochs = Files.createDirectories(dir.resolve(EPOCHS));
        int n;
        try (Stream<Path> s = Files.list(epochs)) {
            n = (int) s.count() + 1;
        }
        Path to = Files.createDirectories(epochs.resolve(Integer.toString(n)));
        Files.move(dir.resolve(ShadowJournal.FILE), to.resolve(ShadowJournal.FILE));
        if (Files.exists(dir.resolve(CrashShadow.BLOBS))) {
            Files.move(dir.resolve(CrashShadow.BLOBS), to.resolve(CrashShadow.BLOBS));
        }
        Files.deleteIfExists(dir.resolve(REGISTERED));
        CrashShadow.writeBaseline(dir, roots);
    }
}
