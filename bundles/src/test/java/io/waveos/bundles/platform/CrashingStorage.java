package io.waveos.bundles.platform;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * A {@link SlotStorage} in memory that keeps only what POSIX promises survives a power cut, so a test
 * can cut power anywhere and see what a real disk may show afterwards.
 *
 * <p>Model: a directory has current entries (name to node) and durable entries; a file has current
 * and durable content and mode. {@link WritableFile#sync()} makes that file's content and mode
 * durable; {@link #syncDirectory} makes the directory's current entries durable; create, rename,
 * delete and mkdir change current entries only. {@link #powerCut()} rebuilds the visible tree from
 * durable state alone: from the root, follow durable entries; a file shows its durable content.
 * {@link #powerCut(long)} is the torn variant: each un-synced file keeps its durable content, a
 * random prefix of its current content, or all of it; each un-synced directory entry change is kept
 * or lost, independently.
 *
 * <p>{@link #cutAt(int)} schedules a cut: that many more mutating operations (create, write, sync,
 * syncDirectory, rename, setMode, deleteTree, createDirectories) succeed, then every operation throws
 * {@link PowerCutException} until {@link #powerCut()}. Files opened before a cut are dead after it.
 * {@link #beforeEachMutation} shows a simulator each mutating operation before it happens, so that
 * it can count operations across several storages and cut ({@code cutAt(0)}) just before one.
 * Not thread-safe.
 */
public final class CrashingStorage implements SlotStorage {

    private abstract static class Node {
    }

    private static final class Dir extends Node {
        Map<String, Node> current = new TreeMap<>();
        Map<String, Node> durable = new TreeMap<>();
    }

    private static final class FileNode extends Node {
        byte[] current = new byte[0];
        byte[] durable = new byte[0];
        int mode = 0644;
        int durableMode = 0644;
    }

    private final Dir root = new Dir();
    private final List<String> mutations = new ArrayList<>();
    private long usableSpace = 1L << 30;
    private int cutCountdown = -1;
    private boolean dead;
    private int generation;
    private BiConsumer<String, Path> beforeMutation = (op, path) -> { };

    /** The mutating operations performed so far, in order, each as {@code "op /path"}. */
    public List<String> mutations() {
        return List.copyOf(mutations);
    }

    /** The number of mutating operations performed so far. */
    public int mutationCount() {
        return mutations.size();
    }

    /**
     * Calls {@code hook} with the operation's name and path before every mutating operation of a live
     * storage; a hook that calls {@code cutAt(0)} cuts the power just before that operation.
     */
    public void beforeEachMutation(BiConsumer<String, Path> hook) {
        beforeMutation = java.util.Objects.requireNonNull(hook, "hook");
    }

    /** Lets {@code k} more mutating operations succeed; the next one, and everything after, fails. */
    public void cutAt(int k) {
        if (k < 0) {
            throw new IllegalArgumentException("k must not be negative: " + k);
        }
        cutCountdown = k;
    }

    /** Whether a scheduled cut has happened and {@link #powerCut()} has not been called yet. */
    public boolean isDown() {
        return dead;
    }

    public void setUsableSpace(long bytes) {
        usableSpace = bytes;
    }

    /** Worst case: everything not synced is lost. Clears a scheduled cut. */
    public void powerCut() {
        rebuild(Optional.empty());
    }

    /** Torn: each un-synced change independently survives, is lost, or (file content) is cut short. */
    public void powerCut(long seed) {
        rebuild(Optional.of(new SplittableRandom(seed)));
    }

    /** A clean shutdown ({@code sync(1)}): everything visible becomes durable. Not a mutation. */
    public void syncAll() {
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Node> queue = new ArrayDeque<>(List.of(root));
        while (!queue.isEmpty()) {
            Node n = queue.pop();
            if (!seen.add(n)) {
                continue;
            }
            if (n instanceof Dir d) {
                d.durable = new TreeMap<>(d.current);
                queue.addAll(d.current.values());
            } else if (n instanceof FileNode f) {
                f.durable = f.current.clone();
                f.durableMode = f.mode;
            }
        }
    }

    private void rebuild(Optional<SplittableRandom> torn) {
        generation++;
        dead = false;
        cutCountdown = -1;
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Node> queue = new ArrayDeque<>(List.of(root));
        while (!queue.isEmpty()) {
            Node n = queue.pop();
            if (!seen.add(n)) {
                continue;
            }
            if (n instanceof Dir d) {
                Map<String, Node> kept = survivingEntries(d, torn);
                d.durable = new TreeMap<>(kept);
                d.current = new TreeMap<>(kept);
                queue.addAll(kept.values());
            } else if (n instanceof FileNode f) {
                settle(f, torn);
            }
        }
    }

    private static Map<String, Node> survivingEntries(Dir d, Optional<SplittableRandom> torn) {
        Map<String, Node> kept = new TreeMap<>(d.durable);
        if (torn.isEmpty()) {
            return kept;
        }
        Set<String> names = new TreeSet<>(d.current.keySet());
        names.addAll(d.durable.keySet());
        for (String name : names) {
            Node now = d.current.get(name);
            if (now != d.durable.get(name) && torn.get().nextBoolean()) {
                if (now == null) {
                    kept.remove(name);
                } else {
                    kept.put(name, now);
                }
            }
        }
        return kept;
    }

    private static void settle(FileNode f, Optional<SplittableRandom> torn) {
        if (torn.isPresent()) {
            SplittableRandom r = torn.get();
            if (!Arrays.equals(f.current, f.durable)) {
                switch (r.nextInt(3)) {
                    case 0 -> { }
                    case 1 -> f.durable = Arrays.copyOf(f.current, r.nextInt(f.current.length + 1));
                    default -> f.durable = f.current.clone();
                }
            }
            if (f.mode != f.durableMode && r.nextBoolean()) {
                f.durableMode = f.mode;
            }
        }
        f.current = f.durable.clone();
        f.mode = f.durableMode;
    }

    private void mutation(String op, Path path) throws PowerCutException {
        String what = op + " " + path;
        if (dead) {
            throw new PowerCutException(what);
        }
        beforeMutation.accept(op, path);
        if (cutCountdown == 0) {
            dead = true;
            throw new PowerCutException(what);
        }
        if (cutCountdown > 0) {
            cutCountdown--;
        }
        mutations.add(what);
    }

    private void alive(String what) throws PowerCutException {
        if (dead) {
            throw new PowerCutException(what);
        }
    }

    private Optional<Node> lookup(Path path) {
        Node n = root;
        for (Path name : path.toAbsolutePath()) {
            if (!(n instanceof Dir d)) {
                return Optional.empty();
            }
            n = d.current.get(name.toString());
            if (n == null) {
                return Optional.empty();
            }
        }
        return Optional.of(n);
    }

    private Dir parentDir(Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent == null) {
            throw new IOException("the root has no parent");
        }
        Optional<Node> n = lookup(parent);
        if (n.isEmpty()) {
            throw new NoSuchFileException(parent.toString());
        }
        if (!(n.get() instanceof Dir d)) {
            throw new NotDirectoryException(parent.toString());
        }
        return d;
    }

    private FileNode file(Path path) throws IOException {
        Optional<Node> n = lookup(path);
        if (n.isEmpty()) {
            throw new NoSuchFileException(path.toString());
        }
        if (!(n.get() instanceof FileNode f)) {
            throw new IOException(path + " is not a regular file");
        }
        return f;
    }

    private static String name(Path path) {
        return path.getFileName().toString();
    }

    @Override
    public void createDirectories(Path dir) throws IOException {
        mutation("createDirectories", dir);
        Dir d = root;
        for (Path name : dir.toAbsolutePath()) {
            Node n = d.current.get(name.toString());
            if (n == null) {
                n = new Dir();
                d.current.put(name.toString(), n);
            }
            if (!(n instanceof Dir next)) {
                throw new FileAlreadyExistsException(dir.toString(), null, "a file is in the way");
            }
            d = next;
        }
    }

    @Override
    public WritableFile create(Path file) throws IOException {
        mutation("create", file);
        Dir parent = parentDir(file);
        Node existing = parent.current.get(name(file));
        FileNode f;
        if (existing instanceof FileNode old) {
            f = old;
            f.current = new byte[0];
        } else if (existing == null) {
            f = new FileNode();
            parent.current.put(name(file), f);
        } else {
            throw new IOException(file + " is a directory");
        }
        return new TwinFile(f, file, generation);
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        mutation("syncDirectory", dir);
        Optional<Node> n = lookup(dir);
        if (n.isEmpty() || !(n.get() instanceof Dir d)) {
            throw new NoSuchFileException(dir + " is not a directory");
        }
        d.durable = new TreeMap<>(d.current);
    }

    @Override
    public void rename(Path from, Path to) throws IOException {
        mutation("rename", from);
        Dir fromParent = parentDir(from);
        Node moving = fromParent.current.get(name(from));
        if (moving == null) {
            throw new NoSuchFileException(from.toString());
        }
        Dir toParent = parentDir(to);
        Node replaced = toParent.current.get(name(to));
        if (replaced == moving) {
            return;
        }
        if (replaced instanceof Dir rd && (!(moving instanceof Dir) || !rd.current.isEmpty())) {
            throw new DirectoryNotEmptyException(to.toString());
        }
        if (replaced instanceof FileNode && moving instanceof Dir) {
            throw new IOException(to + " is a file, " + from + " a directory");
        }
        if (moving instanceof Dir && to.toAbsolutePath().startsWith(from.toAbsolutePath())) {
            throw new IOException("cannot move " + from + " into itself");
        }
        fromParent.current.remove(name(from));
        toParent.current.put(name(to), moving);
    }

    @Override
    public void setMode(Path file, int mode) throws IOException {
        mutation("setMode", file);
        if ((mode & ~0777) != 0) {
            throw new IllegalArgumentException("mode beyond 0777: " + Integer.toOctalString(mode));
        }
        file(file).mode = mode;
    }

    @Override
    public int mode(Path file) throws IOException {
        alive("mode " + file);
        return file(file).mode;
    }

    @Override
    public InputStream open(Path file) throws IOException {
        alive("open " + file);
        return new ByteArrayInputStream(file(file).current.clone());
    }

    @Override
    public Optional<byte[]> read(Path file) throws IOException {
        alive("read " + file);
        if (lookup(file).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(file(file).current.clone());
    }

    @Override
    public boolean exists(Path path) {
        return lookup(path).isPresent();
    }

    @Override
    public boolean isDirectory(Path path) {
        return lookup(path).filter(n -> n instanceof Dir).isPresent();
    }

    @Override
    public long size(Path file) throws IOException {
        alive("size " + file);
        return file(file).current.length;
    }

    @Override
    public List<String> list(Path dir) throws IOException {
        alive("list " + dir);
        Optional<Node> n = lookup(dir);
        if (n.isEmpty()) {
            return List.of();
        }
        if (!(n.get() instanceof Dir d)) {
            throw new NotDirectoryException(dir.toString());
        }
        return List.copyOf(d.current.keySet());
    }

    @Override
    public void deleteTree(Path path) throws IOException {
        mutation("deleteTree", path);
        if (lookup(path).isPresent()) {
            parentDir(path).current.remove(name(path));
        }
    }

    @Override
    public long usableSpace(Path path) throws IOException {
        alive("usableSpace " + path);
        return usableSpace;
    }

    private final class TwinFile implements WritableFile {
        private final FileNode node;
        private final Path path;
        private final int openedIn;
        private boolean closed;

        TwinFile(FileNode node, Path path, int openedIn) {
            this.node = node;
            this.path = path;
            this.openedIn = openedIn;
        }

        private void usable() throws IOException {
            if (openedIn != generation) {
                throw new IOException(path + " was open when the power was cut");
            }
            if (closed) {
                throw new IOException(path + " is closed");
            }
        }

        @Override
        public void write(byte[] data, int offset, int length) throws IOException {
            mutation("write", path);
            usable();
            byte[] grown = Arrays.copyOf(node.current, node.current.length + length);
            System.arraycopy(data, offset, grown, node.current.length, length);
            node.current = grown;
        }

        @Override
        public void sync() throws IOException {
            mutation("sync", path);
            usable();
            node.durable = node.current.clone();
            node.durableMode = node.mode;
        }

        @Override
        public OutputStream asStream() {
            return new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    TwinFile.this.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    TwinFile.this.close();
                }
            };
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
