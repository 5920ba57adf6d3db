package io.waveos.agent.platform.crashsim;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a power cut would keep of the tracked folders, as names and content descriptors (never bytes):
 * the POSIX model of {@code CrashingStorage} (a directory has current and durable entries; a file has
 * a durable content and mode, made durable by its sync) with the {@code Storage} port's operations
 * expressed in it as {@code FakeStorage} defines them (their entry changes durable at once, a
 * replacement without fsync never durable).
 *
 * <p>A file's durable content is a {@link Prefix} of the bytes the file holds on disk now (valid as
 * long as the file is only appended to), a {@link Blob} captured into the journal folder before the
 * bytes left the disk, or {@link Absent} (a replacement without fsync of a file that had no durable
 * content: the name goes at a cut). Nodes the journal did not create are imported as durable baseline.
 * Paths are taken literally: symbolic links in a path are not followed (the agent writes through none).
 * Not thread-safe: {@link CrashShadow} serialises every change; the restorer replays alone.
 */
final class ShadowModel {

    abstract static sealed class Node permits Dir, FileNode, Link {
        final long id;
        /** How many durable entries name this node. */
        int durableRefs;

        Node(long id) {
            this.id = id;
        }
    }

    static final class Dir extends Node {
        final Map<String, Node> current = new TreeMap<>();
        Map<String, Node> durable = new TreeMap<>();

        Dir(long id) {
            super(id);
        }
    }

    static final class FileNode extends Node {
        Content durable = new Prefix(0);
        /** Permission bits, or -1 when the model does not know them (the file system's default). */
        int mode = -1;
        int durableMode = -1;
        /** Made by {@code replaceAtomically}: its durable content stays what it replaced (FakeStorage). */
        boolean volatileReplacement;

        FileNode(long id) {
            super(id);
        }
    }

    static final class Link extends Node {
        final String target;

        Link(long id, String target) {
            super(id);
            this.target = target;
        }
    }

    sealed interface Content permits Prefix, Blob, Absent {
    }

    /** The first {@code length} bytes of the file's current content on disk. */
    record Prefix(long length) implements Content {
    }

    /** Bytes captured into the journal folder's {@code blobs/NAME}. */
    record Blob(String name) implements Content {
    }

    /** No durable content: a cut removes the name. */
    record Absent() implements Content {
    }

    private final Map<Path, Dir> roots = new TreeMap<>();
    private final Map<Long, FileNode> files = new HashMap<>();
    private final Set<Path> named = new HashSet<>();
    private long nextId = 1;

    /** @param roots the tracked folders; a root inside another is covered by the outer one */
    ShadowModel(List<Path> roots) {
        for (Path r : roots) {
            Path n = r.toAbsolutePath().normalize();
            if (roots.stream().map(x -> x.toAbsolutePath().normalize()).noneMatch(o -> !o.equals(n) && n.startsWith(o))) {
                this.roots.put(n, new Dir(0));
            }
        }
    }

    List<Path> roots() {
        return List.copyOf(roots.keySet());
    }

    /** Whether {@code p} lies strictly under a tracked folder (a root itself is never changed). */
    boolean tracked(Path p) {
        Path n = p.toAbsolutePath().normalize();
        return roots.keySet().stream().anyMatch(r -> n.startsWith(r) && !n.equals(r));
    }

    /** Whether {@code p} is a tracked folder or lies under one: the operations on it are journalled. */
    boolean covers(Path p) {
        Path n = p.toAbsolutePath().normalize();
        return roots.keySet().stream().anyMatch(n::startsWith);
    }

    /** The node the current entries name at {@code p}, if the model knows one. */
    Optional<Node> at(Path p) {
        Path n = p.toAbsolutePath().normalize();
        for (Map.Entry<Path, Dir> r : roots.entrySet()) {
            if (n.startsWith(r.getKey())) {
                Node at = r.getValue();
                for (Path name : r.getKey().relativize(n)) {
                    if (name.toString().isEmpty()) {
                        break;
                    }
                    if (!(at instanceof Dir d) || (at = d.current.get(name.toString())) == null) {
                        return Optional.empty();
                    }
                }
                return Optional.of(at);
            }
        }
        return Optional.empty();
    }

    Optional<FileNode> file(long id) {
        return Optional.ofNullable(files.get(id));
    }

    /** Every path an operation or an import named, plus the paths of moved or deleted subtrees. */
    Set<Path> named() {
        return Set.copyOf(named);
    }

    /** A node found on disk that the journal did not create: durable as it is. Its parent must be known. */
    void importNode(Path p, char kind, long size, int mode, String target) {
        Dir parent = parent(p);
        String name = name(p);
        if (parent.current.containsKey(name)) {
            throw new IllegalStateException("imported twice: " + p);
        }
        Node n = switch (kind) {
            case 'd' -> new Dir(nextId++);
            case 'l' -> new Link(nextId++, target);
            case 'f' -> {
                FileNode f = newFile();
                f.durable = new Prefix(size);
                f.mode = mode;
                f.durableMode = mode;
                yield f;
            }
            default -> throw new IllegalArgumentException("unknown import kind " + kind);
        };
        parent.current.put(name, n);
        putDurable(parent, name, n);
        named.add(norm(p));
    }

    /** The file at {@code p} now has its durable content in {@code blobs/blob}. */
    void capture(Path p, String blob) {
        if (!(at(p).orElse(null) instanceof FileNode f)) {
            throw new IllegalStateException("capture of a path that is not a known file: " + p);
        }
        f.durable = new Blob(blob);
    }

    /** A sync of file {@code id} that returned: its first {@code length} bytes and its mode are durable. */
    void synced(long id, long length) {
        FileNode f = files.get(id);
        if (f != null && !f.volatileReplacement) {
            f.durable = new Prefix(length);
            f.durableMode = f.mode;
        }
    }

    /**
     * The files whose durable content {@code op} would destroy on disk while a durable entry (or, for
     * a truncation, possibly a later one) still needs it: capture each before performing the op.
     */
    List<Path> capturesFor(ShadowOp op) {
        List<Path> out = new ArrayList<>();
        switch (op.kind()) {
            case S_WRITE, S_PRIVATE, S_DELETE -> vanishing(op.path(), true, out);
            case S_RENAME -> {
                if (at(op.path()).orElse(null) != at(op.other()).orElse(null)) {
                    vanishing(op.other(), true, out);
                }
            }
            case S_REPLACE -> {
                if (at(op.path()).orElse(null) instanceof FileNode f && !f.volatileReplacement && needsBytes(f)) {
                    out.add(norm(op.path()));
                }
            }
            case X_CREATE -> {
                if (at(op.path()).orElse(null) instanceof FileNode f && needsBytes(f)) {
                    out.add(norm(op.path()));
                }
            }
            case X_RENAME -> {
                if (at(op.path()).orElse(null) != at(op.other()).orElse(null)) {
                    vanishing(op.other(), false, out);
                }
            }
            case X_DELETE -> at(op.path()).ifPresent(n -> subtreeFiles(n, norm(op.path()), (f, p) -> {
                if (f.durableRefs > 0 && needsBytes(f)) {
                    out.add(p);
                }
            }));
            case S_OPEN_APPEND, S_MKDIRS, S_SYMLINK, X_MKDIRS, X_MODE, X_SYNC_DIR -> { }
        }
        return out;
    }

    private void vanishing(Path p, boolean durableEntryGoes, List<Path> out) {
        if (at(p).orElse(null) instanceof FileNode f && needsBytes(f)) {
            Dir parent = parent(p);
            int after = f.durableRefs - (durableEntryGoes && parent.durable.get(name(p)) == f ? 1 : 0);
            if (after > 0) {
                out.add(norm(p));
            }
        }
    }

    private static boolean needsBytes(FileNode f) {
        return f.durable instanceof Prefix prefix && prefix.length() > 0;
    }

    /** Applies an operation that happened on disk (its captures and imports already applied). */
    void apply(ShadowOp op) {
        Path p = norm(op.path());
        named.add(p);
        switch (op.kind()) {
            case S_WRITE, S_PRIVATE -> {
                Dir parent = parent(p);
                FileNode f = newFile();
                f.durable = new Prefix(op.number());
                int mode = op.kind() == ShadowOp.Kind.S_PRIVATE ? 0600 : -1;
                f.mode = mode;
                f.durableMode = mode;
                parent.current.put(name(p), f);
                putDurable(parent, name(p), f);
            }
            case S_REPLACE -> {
                Dir parent = parent(p);
                FileNode f = newFile();
                f.volatileReplacement = true;
                f.durable = inherited(parent.current.get(name(p)), p);
                parent.current.put(name(p), f);
                putDurable(parent, name(p), f);
            }
            case S_RENAME -> move(p, norm(op.other()), true);
            case S_DELETE -> knownParent(p).ifPresent(parent -> {
                subtreePaths(parent.current.remove(name(p)), p);
                removeDurable(parent, name(p));
            });
            case S_OPEN_APPEND -> {
                mkdirs(p.getParent(), true);
                Dir parent = parent(p);
                if (!parent.current.containsKey(name(p))) {
                    FileNode f = newFile();
                    parent.current.put(name(p), f);
                    putDurable(parent, name(p), f);
                }
            }
            case S_MKDIRS -> mkdirs(p, true);
            case X_MKDIRS -> mkdirs(p, false);
            case S_SYMLINK -> {
                Dir parent = parent(p);
                Link l = new Link(nextId++, op.other().toString());
                parent.current.put(name(p), l);
                putDurable(parent, name(p), l);
            }
            case X_CREATE -> {
                Dir parent = parent(p);
                if (parent.current.get(name(p)) instanceof FileNode f) {
                    if (needsBytes(f)) {
                        throw new IllegalStateException("truncated without a capture: " + p);
                    }
                } else {
                    FileNode f = newFile();
                    f.mode = 0644; // CrashingStorage's default, and LinuxSlotStorage's under the usual umask 022
                    f.durableMode = 0644;
                    parent.current.put(name(p), f);
                }
            }
            case X_RENAME -> move(p, norm(op.other()), false);
            case X_DELETE -> knownParent(p).ifPresent(parent -> subtreePaths(parent.current.remove(name(p)), p));
            case X_MODE -> {
                if (at(p).orElse(null) instanceof FileNode f) {
                    f.mode = (int) op.number();
                }
            }
            case X_SYNC_DIR -> {
                if (at(p).orElse(null) instanceof Dir d) {
                    d.durable.values().forEach(n -> n.durableRefs--);
                    d.durable = new TreeMap<>(d.current);
                    d.durable.values().forEach(n -> n.durableRefs++);
                }
            }
        }
    }

    /** FakeStorage: a replacement without fsync brings back the first durable content, or no file. */
    private static Content inherited(Node old, Path p) {
        if (!(old instanceof FileNode f)) {
            return new Absent();
        }
        if (f.volatileReplacement || f.durable instanceof Blob) {
            return f.durable;
        }
        if (needsBytes(f)) {
            throw new IllegalStateException("replaced without a capture: " + p);
        }
        return new Prefix(0); // the replaced file was durably empty
    }

    private void move(Path from, Path to, boolean durable) {
        Dir fromDir = parent(from);
        Dir toDir = parent(to);
        Node n = fromDir.current.get(name(from));
        if (n == null || n == toDir.current.get(name(to))) {
            return;
        }
        subtreePaths(n, from);
        fromDir.current.remove(name(from));
        toDir.current.put(name(to), n);
        named.add(to);
        if (durable) {
            removeDurable(fromDir, name(from));
            putDurable(toDir, name(to), n);
        }
        subtreePaths(n, to);
    }

    private void mkdirs(Path dir, boolean durable) {
        Path d = norm(dir);
        Path root = rootOf(d);
        Dir at = roots.get(root);
        Path walked = root;
        for (Path name : root.relativize(d)) {
            if (name.toString().isEmpty()) {
                break;
            }
            walked = walked.resolve(name);
            Node next = at.current.get(name.toString());
            if (next == null) {
                next = new Dir(nextId++);
                at.current.put(name.toString(), next);
                named.add(walked);
                if (durable) {
                    putDurable(at, name.toString(), next);
                }
            }
            if (!(next instanceof Dir nd)) {
                throw new IllegalStateException("not a directory in the model: " + walked);
            }
            at = nd;
        }
    }

    private void subtreePaths(Node n, Path p) {
        if (n == null) {
            return;
        }
        named.add(p);
        if (n instanceof Dir d) {
            d.current.forEach((name, child) -> subtreePaths(child, p.resolve(name)));
        }
    }

    /** Every file node under (or at) {@code n} by current entries, with its path. */
    static void subtreeFiles(Node n, Path p, java.util.function.BiConsumer<FileNode, Path> each) {
        if (n instanceof FileNode f) {
            each.accept(f, p);
        } else if (n instanceof Dir d) {
            d.current.forEach((name, child) -> subtreeFiles(child, p.resolve(name), each));
        }
    }

    /** Where each node is now, by current entries from the roots. */
    Map<Node, Path> currentLocations() {
        Map<Node, Path> out = new IdentityHashMap<>();
        roots.forEach((path, dir) -> walk(dir, path, true, out, new IdentityHashMap<>()));
        return out;
    }

    /** What a power cut now would show: every path reachable by durable entries from the roots. */
    Map<Path, Node> durableImage() {
        Map<Node, Path> byNode = new IdentityHashMap<>();
        Map<Path, Node> out = new TreeMap<>();
        roots.forEach((path, dir) -> walkDurable(dir, path, out, byNode));
        return out;
    }

    private static void walk(Dir d, Path p, boolean current, Map<Node, Path> out, Map<Node, Boolean> seen) {
        for (Map.Entry<String, Node> e : (current ? d.current : d.durable).entrySet()) {
            Path child = p.resolve(e.getKey());
            out.put(e.getValue(), child);
            if (e.getValue() instanceof Dir cd && seen.put(cd, true) == null) {
                walk(cd, child, current, out, seen);
            }
        }
    }

    private static void walkDurable(Dir d, Path p, Map<Path, Node> out, Map<Node, Path> seen) {
        for (Map.Entry<String, Node> e : d.durable.entrySet()) {
            Node n = e.getValue();
            Path child = p.resolve(e.getKey());
            if (n instanceof FileNode f && f.durable instanceof Absent) {
                continue;
            }
            // A directory reachable twice (renamed, neither folder synced) shows once, at its first name.
            if (seen.putIfAbsent(n, child) != null && n instanceof Dir) {
                continue;
            }
            out.put(child, n);
            if (n instanceof Dir cd) {
                walkDurable(cd, child, out, seen);
            }
        }
    }

    private FileNode newFile() {
        FileNode f = new FileNode(nextId++);
        files.put(f.id, f);
        return f;
    }

    private static void putDurable(Dir d, String name, Node n) {
        Node old = d.durable.put(name, n);
        if (old != null) {
            old.durableRefs--;
        }
        n.durableRefs++;
    }

    private static void removeDurable(Dir d, String name) {
        Node old = d.durable.remove(name);
        if (old != null) {
            old.durableRefs--;
        }
    }

    /** The folder holding {@code p}, when the model has it (a delete of a missing path changes nothing). */
    private Optional<Dir> knownParent(Path p) {
        Path parent = norm(p).getParent();
        return roots.containsKey(parent) ? Optional.of(roots.get(parent))
                : at(parent).filter(n -> n instanceof Dir).map(n -> (Dir) n);
    }

    private Dir parent(Path p) {
        Path parent = norm(p).getParent();
        if (roots.containsKey(parent)) {
            return roots.get(parent);
        }
        if (at(parent).orElse(null) instanceof Dir d) {
            return d;
        }
        throw new IllegalStateException("the model has no folder " + parent);
    }

    private Path rootOf(Path p) {
        return roots.keySet().stream().filter(p::startsWith).findFirst()
                .orElseThrow(() -> new IllegalStateException("not under a tracked folder: " + p));
    }

    private static String name(Path p) {
        return p.getFileName().toString();
    }

    static Path norm(Path p) {
        return p.toAbsolutePath().normalize();
    }
}
