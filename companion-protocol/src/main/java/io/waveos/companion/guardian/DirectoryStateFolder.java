package io.waveos.companion.guardian;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@link StateFolder} on a Linux directory, with fsync and rename(2).
 *
 * <p>Append channels stay open between calls (the log is appended to many times a minute). Every change
 * to the directory itself (a new file, a rename) is made durable by fsyncing the directory before the
 * method returns. Not thread-safe, like the port.
 */
public final class DirectoryStateFolder implements StateFolder, AutoCloseable {
    private static final String TEMPORARY_SUFFIX = ".tmp";

    private final Path directory;
    private final Map<String, FileChannel> appendChannels = new HashMap<>();

    private DirectoryStateFolder(Path directory) {
        this.directory = directory;
    }

    /**
     * Opens (creating if needed) the folder at {@code directory}.
     *
     * @throws IOException naming the folder if it cannot be created or is not a writable directory
     */
    public static DirectoryStateFolder open(Path directory) throws IOException {
        Path absolute = directory.toAbsolutePath();
        try {
            Files.createDirectories(absolute);
        } catch (IOException e) {
            throw new IOException("state folder " + absolute + ": cannot create it: " + e.getMessage(), e);
        }
        if (!Files.isDirectory(absolute) || !Files.isWritable(absolute)) {
            throw new IOException("state folder " + absolute + ": not a writable directory");
        }
        return new DirectoryStateFolder(absolute);
    }

    /** The folder's absolute path. */
    public Path path() {
        return directory;
    }

    @Override
    public Optional<byte[]> read(String name) throws IOException {
        try {
            return Optional.of(Files.readAllBytes(resolve(name)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public void writeAtomically(String name, byte[] data) throws IOException {
        Path target = resolve(name);
        Path temporary = directory.resolve("." + name + TEMPORARY_SUFFIX);
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            writeFully(channel, data);
            // fsync before rename: otherwise the rename can reach the disk before the data, and a power
            // cut leaves an empty file under the real name.
            channel.force(true);
        }
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory();
    }

    @Override
    public void append(String name, byte[] data) throws IOException {
        writeFully(appendChannel(name), data);
    }

    @Override
    public void sync(String name) throws IOException {
        FileChannel channel = appendChannels.get(StateFolder.checkName(name));
        if (channel != null) {
            channel.force(false);
        }
    }

    @Override
    public long size(String name) throws IOException {
        FileChannel channel = appendChannels.get(StateFolder.checkName(name));
        if (channel != null) {
            return channel.size();
        }
        Path path = resolve(name);
        return Files.exists(path) ? Files.size(path) : 0;
    }

    @Override
    public void rename(String from, String to) throws IOException {
        Path source = resolve(from);
        Path target = resolve(to);
        FileChannel channel = appendChannels.remove(from);
        if (channel != null) {
            channel.force(false);
            channel.close();
        }
        Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory();
    }

    /** Closes the open append channels, syncing them first. */
    @Override
    public void close() throws IOException {
        IOException first = null;
        for (FileChannel channel : appendChannels.values()) {
            try {
                channel.force(false);
                channel.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        appendChannels.clear();
        if (first != null) {
            throw first;
        }
    }

    private FileChannel appendChannel(String name) throws IOException {
        FileChannel channel = appendChannels.get(StateFolder.checkName(name));
        if (channel == null) {
            Path path = resolve(name);
            boolean created = !Files.exists(path);
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            if (created) {
                // A new name in the directory: make it durable, or a later sync() could keep data in a
                // file that has no name after a power cut.
                syncDirectory();
            }
            appendChannels.put(name, channel);
        }
        return channel;
    }

    private Path resolve(String name) {
        return directory.resolve(StateFolder.checkName(name));
    }

    private void syncDirectory() throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private static void writeFully(FileChannel channel, byte[] data) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(data);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
