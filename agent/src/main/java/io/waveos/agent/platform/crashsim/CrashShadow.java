package io.waveos.agent.platform.crashsim;

import io.waveos.agent.platform.Storage;
import io.waveos.agent.platform.linux.LinuxSlotStorage;
import io.waveos.agent.platform.linux.LinuxStorage;
import io.waveos.bundles.platform.SlotStorage;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The agent's two storage ports over the real files, with a journal of what a power cut would keep
 * (see the package). Selected only by {@code -Dwaveos.storage=crash-shadow:<dir>}: a simulator seam,
 * never set on a device.
 *
 * <p>Every operation runs on the real file system as {@link LinuxStorage} and {@link LinuxSlotStorage}
 * run it. Name-changing operations are serialised under one lock with their journal records (found
 * baseline nodes imported, endangered durable bytes captured, then begin, the operation, end);
 * appends and writes are not journalled at all, and a sync records only the file's length. Paths
 * outside the tracked folders pass through unrecorded. Thread-safe.
 */
public final class CrashShadow implements AutoCloseable {
    /** The system property that selects this storage. */
    public static final String PROPERTY = "waveos.storage";
    /** Its value: this prefix and the journal folder. */
    public static final String PREFIX = "crash-shadow:";
    static final String BLOBS = "blobs";
    static final String BASELINE = "baseline";

    private final Path dir;
    private final ShadowModel model;
    private final ShadowJournal journal;
    private final WriteCut cut;
    private final List<String> problems;
    private final Object lock = new Object();
    private final String blobPrefix = ProcessHandle.current().pid() + "-" + Long.toString(System.nanoTime(), 36);
    private long blobs;

    private CrashShadow(Path dir, ShadowModel model, ShadowJournal journal, WriteCut cut, List<String> problems) {
        this.dir = dir;
        this.model = model;
        this.journal = journal;
        this.cut = cut;
        this.problems = List.copyOf(problems);
    }

    /**
     * Opens (or continues, after a kill of the agent alone) the journal in {@code dir}.
     *
     * @param roots   the tracked folders (the agent's state and logs folders)
     * @param updates the updater's folder ({@code <state>/updates}), for cuts counting update writes
     */
    public static CrashShadow open(Path dir, List<Path> roots, Path updates) throws IOException {
        Path d = ShadowModel.norm(dir);
        Files.createDirectories(d.resolve(BLOBS));
        ShadowJournal.Replayed replayed = ShadowJournal.replay(d, roots);
        ShadowJournal journal = ShadowJournal.open(d, replayed.model().roots());
        if (replayed.resolvedAtEnd().isPresent()) {
            journal.append(List.of("resolved", replayed.resolvedAtEnd().get()));
        }
        if (!Files.exists(d.resolve(BASELINE))) {
            writeBaseline(d, replayed.model().roots());
        }
        return new CrashShadow(d, replayed.model(), journal, new WriteCut(d, updates), replayed.problems());
    }

    /** {@code crash-shadow:<dir>} to its folder; anything else is refused. */
    public static Path folder(String property) {
        if (!property.startsWith(PREFIX) || property.length() == PREFIX.length()) {
            throw new IllegalArgumentException("-D" + PROPERTY + "=" + property + ": expected " + PREFIX + "<dir>");
        }
        return Path.of(property.substring(PREFIX.length()));
    }

    /** The {@code Storage} port (FakeStorage's durability model). */
    public Storage storage() {
        return new ShadowStorage(new LinuxStorage(), this);
    }

    /** The {@code SlotStorage} port (CrashingStorage's durability model). */
    public SlotStorage slotStorage() {
        return new ShadowSlotStorage(new LinuxSlotStorage(), this);
    }

    /** Problems found replaying an existing journal (a torn record), for the agent's output. */
    public List<String> problems() {
        return problems;
    }

    WriteCut cut() {
        return cut;
    }

    /** An I/O action. */
    @FunctionalInterface
    interface IoCall<T> {
        T call() throws IOException;
    }

    /** An I/O action without a result. */
    @FunctionalInterface
    interface IoRun {
        void run() throws IOException;
    }

    /**
     * One port call that changes names: the armed write cut's check (which may stop the caller here),
     * then the operation, journalled. {@code call} names the port method for the cut's report.
     */
    <T> Changed<T> change(String call, ShadowOp op, IoCall<T> action) throws IOException {
        cut.before(call, op.path());
        return change(op, action);
    }

    /** As {@link #change(String, ShadowOp, IoCall)}, for a call without a result. */
    void perform(String call, ShadowOp op, IoRun action) throws IOException {
        change(call, op, () -> {
            action.run();
            return null;
        });
    }

    /** An operation's result and the id of the file at its path afterwards (-1: none, or untracked). */
    record Changed<T>(T value, long node) {
    }

    /** Performs a name-changing operation and journals it, or only performs it outside the tracked folders. */
    private <T> Changed<T> change(ShadowOp op, IoCall<T> action) throws IOException {
        boolean renaming = op.kind() == ShadowOp.Kind.S_RENAME || op.kind() == ShadowOp.Kind.X_RENAME;
        boolean tracked = model.covers(op.path()) && (!renaming || model.covers(op.other()));
        synchronized (lock) {
            if (!tracked) {
                if (renaming && (model.covers(op.path()) || model.covers(op.other()))) {
                    throw new IOException("crash-shadow storage: a rename across the tracked folders' edge is not "
                            + "modelled: " + op.path() + " -> " + op.other());
                }
                return new Changed<>(action.call(), -1);
            }
            know(op.path(), op.kind() == ShadowOp.Kind.X_DELETE || renaming);
            if (renaming) {
                know(op.other(), true);
            }
            for (Path p : model.capturesFor(op)) {
                capture(p);
            }
            journal.begin(op);
            T value;
            try {
                value = action.call();
            } catch (IOException | RuntimeException e) {
                journal.append(List.of("failed"));
                throw e;
            }
            journal.append(List.of("end"));
            model.apply(op);
            long node = model.at(op.path()).orElse(null) instanceof ShadowModel.FileNode f ? f.id : -1;
            return new Changed<>(value, node);
        }
    }

    /** A file's sync returned: its first {@code length} bytes are durable. */
    void synced(long node, long length) throws IOException {
        if (node < 0) {
            return;
        }
        synchronized (lock) {
            journal.append(List.of("sync", node, length));
            model.synced(node, length);
        }
    }

    /** The size on disk of file {@code node} wherever its name is now; 0 when it has none (or is untracked). */
    long sizeOf(long node) throws IOException {
        if (node < 0) {
            return 0;
        }
        synchronized (lock) {
            Optional<ShadowModel.FileNode> f = model.file(node);
            Path at = f.isEmpty() ? null : model.currentLocations().get(f.get());
            return at == null ? 0 : Files.size(at);
        }
    }

    /** Imports, as durable baseline, what exists on disk on the way to {@code p} (and below it) unknown to the model. */
    private void know(Path p, boolean subtree) throws IOException {
        Path target = ShadowModel.norm(p);
        Path root = model.roots().stream().filter(target::startsWith).findFirst().orElseThrow();
        Path walked = root;
        for (Path name : root.relativize(target)) {
            walked = walked.resolve(name);
            if (model.at(walked).isEmpty()) {
                if (!Files.exists(walked, LinkOption.NOFOLLOW_LINKS)) {
                    return;
                }
                importFromDisk(walked);
            }
        }
        if (subtree && model.at(target).orElse(null) instanceof ShadowModel.Dir && Files.isDirectory(target,
                LinkOption.NOFOLLOW_LINKS)) {
            List<Path> children;
            try (Stream<Path> s = Files.list(target)) {
                children = s.sorted().toList();
            }
            for (Path c : children) {
                know(c, true);
            }
        }
    }

    private void importFromDisk(Path p) throws IOException {
        PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        List<Object> record;
        if (a.isDirectory()) {
            record = List.of("import", p.toString(), "d", 0L, -1L, "");
        } else if (a.isSymbolicLink()) {
            record = List.of("import", p.toString(), "l", 0L, -1L, Files.readSymbolicLink(p).toString());
        } else if (a.isRegularFile()) {
            record = List.of("import", p.toString(), "f", a.size(), (long) mode(a), "");
        } else {
            return; // a socket or a pipe: no storage operation acts on it
        }
        journal.append(record);
        model.importNode(p, ((String) record.get(2)).charAt(0), (Long) record.get(3), ((Long) record.get(4)).intValue(),
                (String) record.get(5));
    }

    /** Copies the durable prefix of the file at {@code p} into a blob before the operation destroys it. */
    private void capture(Path p) throws IOException {
        ShadowModel.FileNode f = (ShadowModel.FileNode) model.at(p).orElseThrow();
        long length = ((ShadowModel.Prefix) f.durable).length();
        String name = blobPrefix + "-" + (++blobs);
        try (FileChannel in = FileChannel.open(p, StandardOpenOption.READ);
                FileChannel out = FileChannel.open(dir.resolve(BLOBS).resolve(name), StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE)) {
            long done = 0;
            while (done < length) {
                long n = in.transferTo(done, length - done, out);
                if (n <= 0) {
                    throw new IOException("crash-shadow storage: " + p + " is shorter than its durable " + length
                            + " bytes; cannot capture them");
                }
                done += n;
            }
        }
        journal.append(List.of("capture", p.toString(), name));
        model.capture(p, name);
    }

    static int mode(PosixFileAttributes a) {
        int mode = 0;
        PosixFilePermission[] order = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE
        for (int i = 0; i < order.length; i++) {
            if (a.permissions().contains(order[i])) {
                mode |= 1 << (order.length - 1 - i);
            }
        }
        return mode;
    }

    /** Lists every file and link under the roots: what counts as durable before the journal knows it. */
    static void writeBaseline(Path dir, List<Path> roots) throws IOException {
        List<String> lines = new ArrayList<>();
        for (Path r : roots) {
            if (Files.isDirectory(r)) {
                try (Stream<Path> s = Files.walk(r)) {
                    s.filter(x -> !Files.isDirectory(x, LinkOption.NOFOLLOW_LINKS)).map(Path::toString).sorted()
                            .forEach(lines::add);
                }
            }
        }
        Path tmp = dir.resolve("." + BASELINE + ".tmp");
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve(BASELINE), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** The journal's folder. */
    public Path folder() {
        return dir;
    }

    Optional<ShadowModel.Node> at(Path p) {
        synchronized (lock) {
            return model.at(p);
        }
    }

    @Override
    public void close() throws IOException {
        journal.close();
    }
}
