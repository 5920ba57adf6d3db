package io.waveos.agent.platform.crashsim;

import io.waveos.bundles.json.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The journal file: one JSON array per line, appended without fsync (a SIGKILL keeps the page cache;
 * the simulated cut is what loses data). Records, in the order things happened:
 * <pre>
 * ["roots", [PATH...]]                            first line: the tracked folders
 * ["import", PATH, "d"|"f"|"l", SIZE, MODE, TARGET] a node found on disk, durable as it is
 * ["capture", PATH, BLOB]                         the file's durable bytes copied to blobs/BLOB
 * ["begin", KIND, PATH, OTHER, NUMBER, CRC]       a name-changing operation starts ...
 * ["end"] | ["failed"] | ["resolved", DONE]       ... and ends, fails, or was found (not) done after a kill
 * ["sync", NODE, LENGTH]                          a file's sync returned with LENGTH bytes written
 * </pre>
 * Name-changing operations are serialised, so at most one {@code begin} is open at any time.
 */
final class ShadowJournal implements AutoCloseable {
    static final String FILE = "journal";
    private final FileChannel channel;

    private ShadowJournal(FileChannel channel) {
        this.channel = channel;
    }

    /** Opens {@code dir/journal} for appending; a new one starts with the roots. */
    static ShadowJournal open(Path dir, List<Path> roots) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE);
        boolean fresh = !Files.exists(file);
        ShadowJournal j = new ShadowJournal(FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND));
        if (fresh) {
            j.append(List.of("roots", roots.stream().map(Path::toString).toList()));
        }
        return j;
    }

    /** Appends one record in one write(2), so a killed process never leaves half of one. */
    synchronized void append(List<Object> record) throws IOException {
        ByteBuffer b = ByteBuffer.wrap((Json.write(record) + "\n").getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    void begin(ShadowOp op) throws IOException {
        append(List.of("begin", op.kind().name(), op.path().toString(), op.other().toString(), op.number(), op.crc()));
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** A journal read back into a model. */
    record Replayed(ShadowModel model, Optional<Boolean> resolvedAtEnd, List<String> problems) {
        Replayed {
            problems = List.copyOf(problems);
        }
    }

    /**
     * Rebuilds the model from {@code dir/journal}. An operation begun and never ended by the last
     * writer (it was killed inside it) is decided from the disk: {@link #happened}.
     *
     * @param fallbackRoots the roots when there is no journal yet
     */
    static Replayed replay(Path dir, List<Path> fallbackRoots) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return new Replayed(new ShadowModel(fallbackRoots), Optional.empty(), List.of());
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<String> problems = new ArrayList<>();
        ShadowModel model = null;
        Optional<ShadowOp> open = Optional.empty();
        for (int i = 0; i < lines.size(); i++) {
            List<?> r;
            try {
                r = (List<?>) Json.parse(lines.get(i));
            } catch (Json.ParseException | ClassCastException e) {
                problems.add("journal line " + (i + 1) + " unreadable (" + e.getMessage() + "), skipped");
                continue;
            }
            String type = (String) r.get(0);
            if (model == null) {
                if (!type.equals("roots")) {
                    throw new IOException(file + ": the first record must name the roots");
                }
                model = new ShadowModel(((List<?>) r.get(1)).stream().map(o -> Path.of((String) o)).toList());
                continue;
            }
            switch (type) {
                case "import" -> model.importNode(Path.of((String) r.get(1)), ((String) r.get(2)).charAt(0),
                        (Long) r.get(3), ((Long) r.get(4)).intValue(), (String) r.get(5));
                case "capture" -> model.capture(Path.of((String) r.get(1)), (String) r.get(2));
                case "begin" -> {
                    if (open.isPresent()) {
                        problems.add("journal line " + (i + 1) + ": an operation began before the last one ended: "
                                + open.get() + " taken as not done");
                    }
                    open = Optional.of(new ShadowOp(ShadowOp.Kind.valueOf((String) r.get(1)), Path.of((String) r.get(2)),
                            Path.of((String) r.get(3)), (Long) r.get(4), (Long) r.get(5)));
                }
                case "end" -> {
                    model.apply(open.orElseThrow(() -> new IOException(file + ": an end without a begin")));
                    open = Optional.empty();
                }
                case "failed" -> open = Optional.empty();
                case "resolved" -> {
                    if (open.isPresent() && Boolean.TRUE.equals(r.get(1))) {
                        model.apply(open.get());
                    }
                    open = Optional.empty();
                }
                case "sync" -> model.synced((Long) r.get(1), (Long) r.get(2));
                default -> problems.add("journal line " + (i + 1) + ": unknown record " + type + ", skipped");
            }
        }
        if (model == null) {
            return new Replayed(new ShadowModel(fallbackRoots), Optional.empty(), problems);
        }
        Optional<Boolean> resolved = Optional.empty();
        if (open.isPresent()) {
            boolean done = happened(open.get());
            if (done) {
                model.apply(open.get());
            }
            resolved = Optional.of(done);
        }
        return new Replayed(model, resolved, problems);
    }

    /**
     * Whether an operation its writer was killed inside reached the disk. Only three leave a state the
     * model could not read back either way: a durable write (decided by its length and CRC-32C at the
     * path) and the two renames (decided by the source being gone). Every other operation is taken as
     * done, which is one of the outcomes a power cut inside it can have (captures were made before it).
     */
    static boolean happened(ShadowOp op) throws IOException {
        return switch (op.kind()) {
            case S_WRITE, S_PRIVATE -> Files.isRegularFile(op.path(), LinkOption.NOFOLLOW_LINKS)
                    && Files.size(op.path()) == op.number() && crc(Files.readAllBytes(op.path())) == op.crc();
            case S_RENAME, X_RENAME -> !Files.exists(op.path(), LinkOption.NOFOLLOW_LINKS);
            case S_REPLACE, S_DELETE, S_OPEN_APPEND, S_MKDIRS, S_SYMLINK, X_MKDIRS, X_CREATE, X_DELETE, X_MODE,
                    X_SYNC_DIR -> true;
        };
    }

    static long crc(byte[] data) {
        CRC32C c = new CRC32C();
        c.update(data);
        return c.getValue();
    }
}
