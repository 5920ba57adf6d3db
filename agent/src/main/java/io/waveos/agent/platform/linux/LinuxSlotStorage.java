package io.waveos.agent.platform.linux;

import io.waveos.bundles.platform.SlotStorage;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * {@link SlotStorage} on a Linux file system: fsync with {@link FileChannel#force}, directory fsync by
 * opening the directory for reading, rename(2) with {@code ATOMIC_MOVE}, POSIX permission bits.
 * Unlike {@link LinuxStorage} it makes nothing durable on its own: the installer decides every sync,
 * which is what lets the crash-simulating twin test that order. Symbolic links are never followed
 * when deleting. Thread-safe in the sense that the file system is.
 *
 * <p>Early write-back: every {@value #WRITEBACK_BYTES} bytes written to a file, a data-only fsync of
 * that file starts on a helper thread ({@code waveos-writeback}, made on first use, a daemon) while
 * the writer goes on hashing and writing. The disk then works while the CPU hashes, the final
 * {@link WritableFile#sync()} waits only for the tail, and a large slot never holds more than about
 * that many dirty bytes in the page cache (which matters on a device with little memory). It changes
 * no durability promise: content is durable only after {@code sync()}, as the port says. A failure of
 * an early fsync is thrown by the next {@code write} or by {@code sync()}: Linux reports a write-back
 * error to one fsync only, so it must not be lost on the helper thread.
 */
public final class LinuxSlotStorage implements SlotStorage {

    /** Bytes written to one file between two early write-backs (8 MiB). */
    static final long WRITEBACK_BYTES = 8L << 20;

    private final Object lock = new Object();
    private ExecutorService writeback;
    private long writebacksStarted;

    private static final PosixFilePermission[] BITS = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
    };

    @Override
    public void createDirectories(Path dir) throws IOException {
        Files.createDirectories(dir);
    }

    @Override
    public WritableFile create(Path file) throws IOException {
        return new ChannelFile(FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS), file);
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    @Override
    public void rename(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void setMode(Path file, int mode) throws IOException {
        if ((mode & ~0777) != 0) {
            throw new IllegalArgumentException("mode beyond 0777: " + Integer.toOctalString(mode));
        }
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        for (int bit = 0; bit < BITS.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                permissions.add(BITS[bit]);
            }
        }
        Files.setPosixFilePermissions(file, permissions);
    }

    @Override
    public int mode(Path file) throws IOException {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
        int mode = 0;
        for (int bit = 0; bit < BITS.length; bit++) {
            if (permissions.contains(BITS[bit])) {
                mode |= 1 << bit;
            }
        }
        return mode;
    }

    @Override
    public InputStream open(Path file) throws IOException {
        return Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public Optional<byte[]> read(Path file) throws IOException {
        try {
            return Optional.of(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean exists(Path path) {
        return Files.exists(path, LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public boolean isDirectory(Path path) {
        return Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public long size(Path file) throws IOException {
        return Files.size(file);
    }

    @Override
    public List<String> list(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> entries = Files.list(dir)) {
            entries.forEach(p -> names.add(p.getFileName().toString()));
        } catch (NoSuchFileException e) {
            return List.of();
        }
        names.sort(null);
        return List.copyOf(names);
    }

    @Override
    public void deleteTree(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        // walkFileTree does not follow links by default: a link in a slot is deleted, not its target.
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    @Override
    public long usableSpace(Path path) throws IOException {
        Path existing = path.toAbsolutePath();
        while (!Files.exists(existing) && existing.getParent() != null) {
            existing = existing.getParent();
        }
        return Files.getFileStore(existing).getUsableSpace();
    }

    /** How many early write-backs have started (tests, diagnostics). */
    long writebacksStarted() {
        synchronized (lock) {
            return writebacksStarted;
        }
    }

    private Future<?> startWriteback(FileChannel channel) {
        synchronized (lock) {
            if (writeback == null) {
                writeback = Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "waveos-writeback");
                    t.setDaemon(true);
                    return t;
                });
            }
            writebacksStarted++;
            return writeback.submit(() -> {
                // fdatasync(2): starts and waits for the write-back of what was written so far.
                channel.force(false);
                return null;
            });
        }
    }

    private final class ChannelFile implements WritableFile {
        private final FileChannel channel;
        private final Path file;
        private long sinceWriteback;
        private Optional<Future<?>> inFlight = Optional.empty();

        ChannelFile(FileChannel channel, Path file) {
            this.channel = channel;
            this.file = file;
        }

        @Override
        public void write(byte[] data, int offset, int length) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(data, offset, length);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            sinceWriteback += length;
            if (sinceWriteback >= WRITEBACK_BYTES && inFlight.map(Future::isDone).orElse(true)) {
                awaitWriteback();
                sinceWriteback = 0;
                inFlight = Optional.of(startWriteback(channel));
            }
        }

        @Override
        public void sync() throws IOException {
            awaitWriteback();
            // fsync(2): data and metadata (size, mode) reach the disk before this returns.
            channel.force(true);
        }

        /** Waits for the early write-back in flight, if any, and throws its failure. */
        private void awaitWriteback() throws IOException {
            if (inFlight.isEmpty()) {
                return;
            }
            Future<?> f = inFlight.get();
            inFlight = Optional.empty();
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted waiting for the write-back of " + file);
            } catch (ExecutionException e) {
                throw new IOException("write-back of " + file + " failed: " + e.getCause().getMessage(), e.getCause());
            }
        }

        @Override
        public OutputStream asStream() {
            return new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    ChannelFile.this.write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    ChannelFile.this.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    ChannelFile.this.close();
                }
            };
        }

        @Override
        public void close() throws IOException {
            try {
                // The helper must not fsync a closed channel, and its failure must not go unseen.
                awaitWriteback();
            } finally {
                channel.close();
            }
        }
    }
}
