package io.waveos.agent.platform.fake;

import io.waveos.agent.platform.Storage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * In-memory {@link Storage} that can lose power.
 *
 * <p>Paths must be absolute; they are normalised and used as keys. The root directory always exists.
 * Directories, regular files and symbolic links are distinct entries; symbolic links are followed in
 * every component of a path, as the kernel does, except that {@link #writeAtomically}, {@link #delete}
 * and {@link #replaceSymlink} act on a final link itself (they rename or unlink the name). A relative link target is resolved against the
 * link's directory.
 *
 * <p>Durability: each file holds synced bytes and an unsynced tail. {@link #writeAtomically} is
 * durable at once; {@link #replaceAtomically} is not (a power loss brings the previous durable
 * content back, or removes a file that had none); {@link Storage.AppendFile#sync()} makes that file's appended bytes durable;
 * creating directories, files and links and deleting entries is durable at once. {@link #powerLoss()}
 * drops every unsynced tail and invalidates every open {@link Storage.AppendFile}, like a process that
 * did not survive the cut.
 *
 * <p>{@link #failWrites(boolean)} makes every mutating operation (including fsync) throw
 * {@code IOException("injected: ...")}, while reads keep working. {@link #beforeEachMutation} lets a
 * simulator see every mutating operation before it happens (and fail it, e.g. to cut the power just
 * before the Nth write). All methods are synchronized, so a simulator may share one instance between
 * threads.
 */
public final class FakeStorage implements Storage {

    private static final int MAX_SYMLINK_HOPS = 40;

    private abstract static sealed class Node permits DirNode, FileNode, LinkNode {
    }

    private static final class DirNode extends Node {
    }

    private static final class FileNode extends Node {
        byte[] synced;
        final ByteArrayOutputStream unsynced = new ByteArrayOutputStream();

        FileNode(byte[] synced) {
            this.synced = synced;
        }

        long size() {
            return synced.length + (long) unsynced.size();
        }

        byte[] content() {
            byte[] tail = unsynced.toByteArray();
            byte[] all = new byte[synced.length + tail.length];
            System.arraycopy(synced, 0, all, 0, synced.length);
            System.arraycopy(tail, 0, all, synced.length, tail.length);
            return all;
        }

        void sync() {
            synced = content();
            unsynced.reset();
        }
    }

    private static final class LinkNode extends Node {
        final Path target;

        LinkNode(Path target) {
            this.target = target;
        }
    }

    private final Map<Path, Node> nodes = new HashMap<>();
    private final Path root;
    private boolean failWrites;
    private MutationHook hook = (operation, path) -> { };
    /** Bumped by {@link #powerLoss()}; append handles from an older epoch are dead. */
    private long epoch;

    public FakeStorage() {
        root = Path.of("/");
        nodes.put(root, new DirNode());
    }

    /** Drops every byte that was not synced and kills every open append handle. */
    public synchronized void powerLoss() {
        powerLossTearing(0, 0);
    }

    /**
     * A power cut that tears appends: of each file's unsynced tail, the first {@code keptBytes} reached
     * the disk (as when writeback had flushed part of the page cache), followed by {@code zeroBytes}
     * zero bytes (the file's size grew on disk before its data did, as ext4 with data=writeback can
     * show), never more than the tail itself; the rest is lost. Replacements without fsync and open
     * handles are lost as with {@link #powerLoss()}.
     */
    public synchronized void powerLossTearing(int keptBytes, int zeroBytes) {
        for (Node n : nodes.values()) {
            if (n instanceof FileNode f) {
                byte[] tail = f.unsynced.toByteArray();
                int kept = Math.min(keptBytes, tail.length);
                int zeros = Math.min(zeroBytes, tail.length - kept);
                byte[] survived = new byte[f.synced.length + kept + zeros];
                System.arraycopy(f.synced, 0, survived, 0, f.synced.length);
                System.arraycopy(tail, 0, survived, f.synced.length, kept);
                f.synced = survived;
                f.unsynced.reset();
            }
        }
        // Replacements without fsync are lost: the last durable content (or no file) comes back.
        beforeVolatile.forEach((p, old) -> {
            if (old.isPresent()) {
                nodes.put(p, new FileNode(old.get()));
            } else {
                nodes.remove(p);
            }
        });
        beforeVolatile.clear();
        epoch++;
    }

    /**
     * Called before every mutating operation (write, append, fsync, create, rename, delete, link), with
     * the operation's name and the path as given, before {@link #failWrites} is consulted; the operation
     * fails with what the hook throws and changes nothing.
     */
    @FunctionalInterface
    public interface MutationHook {
        void before(String operation, Path path) throws IOException;
    }

    /** Replaces the hook (one at a time; the default does nothing). */
    public synchronized void beforeEachMutation(MutationHook hook) {
        this.hook = java.util.Objects.requireNonNull(hook, "hook");
    }

    /** While true, every write, fsync, create, delete and link operation throws an injected IOException. */
    public synchronized void failWrites(boolean fail) {
        this.failWrites = fail;
    }

    /** The target of the symbolic link at {@code link} (not followed), empty when it is not a link. */
    public synchronized Optional<Path> symlinkTarget(Path link) throws IOException {
        Node n = nodes.get(resolveParent(link));
        return n instanceof LinkNode l ? Optional.of(l.target) : Optional.empty();
    }

    /** The bytes of a file that would survive a power cut now, empty when it is not a file. */
    public synchronized Optional<byte[]> durableContent(Path path) throws IOException {
        Node n = nodes.get(resolve(path));
        return n instanceof FileNode f ? Optional.of(f.synced.clone()) : Optional.empty();
    }

    @Override
    public synchronized void writeAtomically(Path path, byte[] data) throws IOException {
        checkWritable("writeAtomically", path);
        Path p = resolveParent(path); // rename(2) replaces a final link, it does not write through it
        requireParentDir(p);
        Node existing = nodes.get(p);
        if (existing instanceof DirNode) {
            throw new FileSystemException(path.toString(), null, "is a directory");
        }
        // The rename replaces the directory entry: handles to the old file keep the old inode.
        nodes.put(p, new FileNode(data.clone()));
        beforeVolatile.remove(p);
        ownerOnly.remove(p);
    }

    private final java.util.Set<Path> ownerOnly = new java.util.HashSet<>();

    @Override
    public synchronized void writePrivately(Path path, byte[] data) throws IOException {
        writeAtomically(path, data);
        ownerOnly.add(resolveParent(path));
    }

    /** True when {@code path} was last written by {@link #writePrivately} (mode 0600 on a real disk). */
    public synchronized boolean isPrivate(Path path) throws IOException {
        return ownerOnly.contains(resolveParent(path));
    }

    @Override
    public synchronized Optional<Long> size(Path path) throws IOException {
        return read(path).map(b -> (long) b.length);
    }

    @Override
    public synchronized void rename(Path from, Path to) throws IOException {
        checkWritable("rename", from);
        Path f = resolveParent(from);
        Path t = resolveParent(to);
        Node n = nodes.get(f);
        if (n == null) {
            throw new NoSuchFileException(from.toString());
        }
        if (nodes.get(t) instanceof DirNode) {
            throw new FileSystemException(to.toString(), null, "is a directory");
        }
        requireParentDir(t);
        // Durable at once, like every change of names here; unsynced bytes of the file move with it.
        nodes.remove(f);
        nodes.put(t, n);
        ownerOnly.remove(t);
        if (ownerOnly.remove(f)) {
            ownerOnly.add(t);
        }
        if (beforeVolatile.containsKey(f)) {
            beforeVolatile.put(t, beforeVolatile.remove(f));
        }
    }

    /** Files replaced without fsync, with what a power cut brings back (empty: the file was absent). */
    private final java.util.Map<Path, Optional<byte[]>> beforeVolatile = new java.util.HashMap<>();

    @Override
    public synchronized void replaceAtomically(Path path, byte[] data) throws IOException {
        checkWritable("replaceAtomically", path);
        Path p = resolveParent(path);
        requireParentDir(p);
        Node existing = nodes.get(p);
        if (existing instanceof DirNode) {
            throw new FileSystemException(path.toString(), null, "is a directory");
        }
        if (!beforeVolatile.containsKey(p)) {
            beforeVolatile.put(p, existing instanceof FileNode f ? Optional.of(f.synced.clone()) : Optional.empty());
        }
        nodes.put(p, new FileNode(data.clone()));
    }

    @Override
    public synchronized Optional<byte[]> read(Path path) throws IOException {
        Path p = resolve(path);
        Node n = nodes.get(p);
        if (n == null) {
            return Optional.empty();
        } else if (n instanceof FileNode f) {
            return Optional.of(f.content());
        } else {
            throw new FileSystemException(path.toString(), null, "is a directory");
        }
    }

    @Override
    public synchronized AppendFile openAppend(Path path) throws IOException {
        checkWritable("openAppend", path);
        Path p = resolve(path);
        createDirectoriesResolved(p.getParent(), path);
        Node n = nodes.get(p);
        FileNode file;
        if (n == null) {
            file = new FileNode(new byte[0]);
            nodes.put(p, file);
        } else if (n instanceof FileNode f) {
            file = f;
        } else {
            throw new FileSystemException(path.toString(), null, "is a directory");
        }
        return new Handle(path, file, epoch);
    }

    @Override
    public synchronized void createDirectories(Path path) throws IOException {
        checkWritable("createDirectories", path);
        createDirectoriesResolved(resolve(path), path);
    }

    @Override
    public synchronized boolean delete(Path path) throws IOException {
        checkWritable("delete", path);
        Path p = resolveParent(path);
        Node n = nodes.get(p);
        if (n == null) {
            return false;
        }
        if (n instanceof DirNode && !children(p).isEmpty()) {
            throw new DirectoryNotEmptyException(path.toString());
        }
        if (p.equals(root)) {
            throw new FileSystemException(path.toString(), null, "cannot delete the root");
        }
        beforeVolatile.remove(p);
        nodes.remove(p);
        return true;
    }

    @Override
    public synchronized boolean exists(Path path) {
        try {
            return nodes.containsKey(resolve(path));
        } catch (IOException e) {
            return false; // a symlink loop resolves to nothing, as Files.exists says
        }
    }

    @Override
    public synchronized List<String> list(Path directory) throws IOException {
        Path p = resolve(directory);
        Node n = nodes.get(p);
        if (n == null) {
            return List.of();
        } else if (!(n instanceof DirNode)) {
            throw new NotDirectoryException(directory.toString());
        }
        return children(p);
    }

    @Override
    public synchronized void replaceSymlink(Path link, Path target) throws IOException {
        checkWritable("replaceSymlink", link);
        Path p = resolveParent(link);
        requireParentDir(p);
        if (nodes.get(p) instanceof DirNode) {
            throw new FileSystemException(link.toString(), null, "is a directory");
        }
        nodes.put(p, new LinkNode(target));
    }

    private List<String> children(Path dir) {
        List<String> names = new ArrayList<>();
        for (Path p : nodes.keySet()) {
            if (dir.equals(p.getParent())) {
                names.add(p.getFileName().toString());
            }
        }
        names.sort(null);
        return List.copyOf(names);
    }

    private void createDirectoriesResolved(Path p, Path asGiven) throws IOException {
        if (p.equals(root)) {
            return;
        }
        createDirectoriesResolved(resolve(p.getParent()), asGiven);
        Node n = nodes.get(p);
        if (n == null) {
            nodes.put(p, new DirNode());
        } else if (!(n instanceof DirNode)) {
            throw new FileAlreadyExistsException(asGiven.toString(), null, p + " exists and is not a directory");
        }
    }

    private void requireParentDir(Path resolved) throws IOException {
        Node parent = nodes.get(resolved.getParent());
        if (parent == null) {
            throw new NoSuchFileException(resolved.getParent().toString());
        } else if (!(parent instanceof DirNode)) {
            throw new NotDirectoryException(resolved.getParent().toString());
        }
    }

    private void checkWritable(String operation, Path path) throws IOException {
        hook.before(operation, path);
        if (failWrites) {
            throw new IOException("injected: " + operation + " " + path + " failed (failWrites is on)");
        }
    }

    /** The path with every symbolic link followed, including a final one. */
    private Path resolve(Path path) throws IOException {
        return follow(absolute(path));
    }

    /** The path with links followed in its directories, but not in its final name. */
    private Path resolveParent(Path path) throws IOException {
        Path p = absolute(path);
        if (p.equals(root)) {
            return root;
        }
        return follow(p.getParent()).resolve(p.getFileName());
    }

    private Path follow(Path path) throws IOException {
        int hops = 0;
        Path current = root;
        List<Path> rest = new ArrayList<>();
        path.forEach(rest::add);
        int i = 0;
        while (i < rest.size()) {
            Path next = current.resolve(rest.get(i));
            Node n = nodes.get(next);
            if (n instanceof LinkNode l) {
                if (++hops > MAX_SYMLINK_HOPS) {
                    throw new FileSystemException(path.toString(), null, "too many levels of symbolic links");
                }
                Path target = current.resolve(l.target).normalize();
                List<Path> remaining = new ArrayList<>(rest.subList(i + 1, rest.size()));
                rest = new ArrayList<>();
                target.forEach(rest::add);
                rest.addAll(remaining);
                current = root;
                i = 0;
            } else {
                current = next;
                i++;
            }
        }
        return current;
    }

    private Path absolute(Path path) {
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException("FakeStorage wants absolute paths, got " + path);
        }
        return path.normalize();
    }

    private final class Handle implements AppendFile {
        private final Path path;
        private final FileNode file;
        private final long openedInEpoch;
        private boolean closed;

        Handle(Path path, FileNode file, long openedInEpoch) {
            this.path = path;
            this.file = file;
            this.openedInEpoch = openedInEpoch;
        }

        @Override
        public void append(byte[] data) throws IOException {
            synchronized (FakeStorage.this) {
                checkUsable();
                checkWritable("append", path);
                file.unsynced.write(data, 0, data.length);
            }
        }

        @Override
        public void sync() throws IOException {
            synchronized (FakeStorage.this) {
                checkUsable();
                checkWritable("sync", path);
                file.sync();
            }
        }

        @Override
        public long size() {
            synchronized (FakeStorage.this) {
                return file.size();
            }
        }

        @Override
        public void close() {
            synchronized (FakeStorage.this) {
                closed = true;
            }
        }

        private void checkUsable() throws IOException {
            if (closed) {
                throw new IOException(path + " is closed");
            }
            if (openedInEpoch != epoch) {
                throw new IOException(path + " was opened before a power loss");
            }
        }
    }
}
