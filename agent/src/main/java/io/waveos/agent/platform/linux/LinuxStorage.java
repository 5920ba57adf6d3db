package io.waveos.agent.platform.linux;

import io.waveos.agent.platform.Storage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@link Storage} on a Linux file system with fsync and rename(2).
 *
 * <p>Every change to a directory made here (a file created by {@link #openAppend}, a rename, a
 * delete, a created directory) is made durable by fsyncing the directory before the method returns.
 * Temporary siblings are named {@code .NAME.tmp-RANDOM}; a power cut during a write can leave one
 * behind, and {@link #list} shows it.
 *
 * <p>Thread-safe: it holds no state; concurrent writes to the same path end with one of them.
 */
public final class LinuxStorage implements Storage {

    @Override
    public void writeAtomically(Path path, byte[] data) throws IOException {
        write(path, data, false);
    }

    @Override
    public void writePrivately(Path path, byte[] data) throws IOException {
        write(path, data, true);
    }

    @Override
    public void rename(Path from, Path to) throws IOException {
        Path target = to.toAbsolutePath();
        Files.move(from.toAbsolutePath(), target, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(target.getParent());
    }

    private static final java.nio.file.attribute.FileAttribute<?> OWNER_ONLY =
            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));

    private void write(Path path, byte[] data, boolean ownerOnly) throws IOException {
        Path target = path.toAbsolutePath();
        Path directory = target.getParent();
        Path temporary = temporarySibling(target);
        try {
            java.util.Set<StandardOpenOption> options = java.util.Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
            try (FileChannel channel = ownerOnly ? FileChannel.open(temporary, options, OWNER_ONLY)
                    : FileChannel.open(temporary, options)) {
                writeFully(channel, data);
                // fsync before rename: otherwise the rename can reach the disk before the data, and a
                // power cut leaves an empty or partial file under the real name.
                channel.force(true);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            deleteAfterFailure(temporary, e);
            throw e;
        }
        // fsync the directory: until then the rename itself may be lost.
        syncDirectory(directory);
    }

    @Override
    public void replaceAtomically(Path path, byte[] data) throws IOException {
        Path target = path.toAbsolutePath();
        Path temporary = temporarySibling(target);
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                writeFully(channel, data);
            }
            // No fsync: the rename is atomic for other processes and survives our own crash, which is
            // all this method promises.
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            deleteAfterFailure(temporary, e);
            throw e;
        }
    }

    @Override
    public Optional<Long> size(Path path) throws IOException {
        try {
            return Optional.of(Files.size(path));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<byte[]> read(Path path) throws IOException {
        try {
            return Optional.of(Files.readAllBytes(path));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public AppendFile openAppend(Path path) throws IOException {
        Path target = path.toAbsolutePath();
        createDirectories(target.getParent());
        FileChannel channel;
        try {
            channel = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            // A new name in the directory: make it durable, or a later sync() could keep data in a
            // file that has no name after a power cut.
            syncDirectoryClosingOnFailure(target.getParent(), channel);
        } catch (FileAlreadyExistsException existing) {
            channel = FileChannel.open(target, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        }
        return new ChannelAppendFile(channel, channel.size());
    }

    @Override
    public void createDirectories(Path path) throws IOException {
        Deque<Path> missing = new ArrayDeque<>();
        for (Path p = path.toAbsolutePath(); p != null && !Files.isDirectory(p); p = p.getParent()) {
            if (Files.exists(p)) {
                throw new FileAlreadyExistsException(p.toString(), null, "exists and is not a directory");
            }
            missing.push(p);
        }
        while (!missing.isEmpty()) {
            Path directory = missing.pop();
            try {
                Files.createDirectory(directory);
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(directory)) {
                    throw e;
                }
            }
            syncDirectory(directory.getParent());
        }
    }

    @Override
    public boolean delete(Path path) throws IOException {
        Path target = path.toAbsolutePath();
        boolean deleted = Files.deleteIfExists(target);
        if (deleted) {
            syncDirectory(target.getParent());
        }
        return deleted;
    }

    @Override
    public boolean exists(Path path) {
        return Files.exists(path);
    }

    @Override
    public List<String> list(Path directory) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                names.add(entry.getFileName().toString());
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        names.sort(null);
        return List.copyOf(names);
    }

    @Override
    public void replaceSymlink(Path link, Path target) throws IOException {
        Path absoluteLink = link.toAbsolutePath();
        Path temporary = temporarySibling(absoluteLink);
        try {
            Files.createSymbolicLink(temporary, target);
            // rename(2) replaces the old link in one step: readers see the old or the new target.
            Files.move(temporary, absoluteLink, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            deleteAfterFailure(temporary, e);
            throw e;
        }
        syncDirectory(absoluteLink.getParent());
    }

    private static Path temporarySibling(Path absolute) {
        String random = Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
        return absolute.resolveSibling("." + absolute.getFileName() + ".tmp-" + random);
    }

    private static void writeFully(FileChannel channel, byte[] data) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(data);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** fsync(2) on a directory makes the names in it (creations, renames, unlinks) durable. */
    private static void syncDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private static void syncDirectoryClosingOnFailure(Path directory, FileChannel channel) throws IOException {
        try {
            syncDirectory(directory);
        } catch (IOException | RuntimeException e) {
            try {
                channel.close();
            } catch (IOException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
    }

    /** Removes a temporary file after a failure; a failure to remove it is attached to the cause. */
    private static void deleteAfterFailure(Path temporary, Exception cause) {
        try {
            Files.deleteIfExists(temporary);
        } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    private static final class ChannelAppendFile implements AppendFile {
        private final FileChannel channel;
        private long size;

        ChannelAppendFile(FileChannel channel, long size) {
            this.channel = channel;
            this.size = size;
        }

        @Override
        public void append(byte[] data) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(data);
            while (buffer.hasRemaining()) {
                size += channel.write(buffer);
            }
        }

        @Override
        public void sync() throws IOException {
            channel.force(true);
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
