package io.waveos.agent.platform.linux;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A size-capped output log: {@code NAME} is the live file, {@code NAME.1} ... {@code NAME.K} the
 * rotated ones, newest first. A write that would take the live file past {@code maxFileBytes} first
 * rotates ({@code NAME.K-1 -> NAME.K}, ..., {@code NAME -> NAME.1}; the old {@code NAME.K} is
 * replaced), so no file ever exceeds the cap and the total on disk stays within
 * {@code (keepFiles + 1) * maxFileBytes}. With {@code keepFiles == 0} the live file is truncated
 * instead.
 *
 * <p>Best effort, by design: nothing is fsynced, and an I/O failure (disk full, directory removed)
 * never reaches the caller, because the caller is a pipe reader that must keep draining or the
 * service blocks on a full pipe. Failed bytes are counted; the file is reopened on the next write and,
 * once that succeeds, a line {@code [waveos: dropped N bytes of output: ERROR]} records the gap in the
 * log itself. The durable spool (issue #6) replaces this for anything that must survive power loss.
 *
 * <p>Not thread-safe: one writer (the service's output reader thread) owns an instance.
 */
final class RotatingOutputFile implements Closeable {
    private final Path live;
    private final long maxFileBytes;
    private final int keepFiles;
    private FileChannel channel;
    private long size;
    private long droppedBytes;
    private long unreportedDroppedBytes;
    private String lastError = "";

    /**
     * Opens {@code live} for appending (creating it and its directory), continuing an existing file,
     * and deletes rotated files beyond {@code keepFiles} left by an earlier, larger setting.
     *
     * @throws IOException when the file cannot be opened at all; later failures are absorbed
     */
    RotatingOutputFile(Path live, long maxFileBytes, int keepFiles) throws IOException {
        if (maxFileBytes < 1) {
            throw new IllegalArgumentException("maxFileBytes must be positive: " + maxFileBytes);
        }
        if (keepFiles < 0) {
            throw new IllegalArgumentException("keepFiles must not be negative: " + keepFiles);
        }
        this.live = live;
        this.maxFileBytes = maxFileBytes;
        this.keepFiles = keepFiles;
        Path parent = live.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        for (int i = keepFiles + 1; Files.deleteIfExists(rotated(i)); i++) {
            // Deleted one stale file; look for the next.
        }
        open();
    }

    /** Appends {@code length} bytes of {@code buffer} from {@code offset}, rotating as needed. */
    void write(byte[] buffer, int offset, int length) {
        if (channel == null && !reopen()) {
            drop(length);
            return;
        }
        int off = offset;
        int remaining = length;
        while (remaining > 0) {
            if (size > 0 && size + remaining > maxFileBytes && !rotate()) {
                drop(remaining);
                return;
            }
            int n = (int) Math.min(remaining, maxFileBytes - size);
            if (!append(ByteBuffer.wrap(buffer, off, n))) {
                drop(remaining);
                return;
            }
            off += n;
            remaining -= n;
        }
    }

    /** Bytes lost to I/O failures since this instance was created. */
    long droppedBytes() {
        return droppedBytes;
    }

    /** The last I/O failure, or empty when there was none. */
    String lastError() {
        return lastError;
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            FileChannel c = channel;
            channel = null;
            c.close();
        }
    }

    Path rotated(int index) {
        return live.resolveSibling(live.getFileName() + "." + index);
    }

    private void open() throws IOException {
        channel = FileChannel.open(live, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        size = channel.size();
    }

    private boolean reopen() {
        try {
            open();
        } catch (IOException e) {
            fail(e);
            return false;
        }
        if (unreportedDroppedBytes > 0) {
            byte[] note = ("[waveos: dropped " + unreportedDroppedBytes + " bytes of output: " + lastError + "]\n")
                    .getBytes(StandardCharsets.UTF_8);
            unreportedDroppedBytes = 0;
            if (size > 0 && size + note.length > maxFileBytes && !rotate()) {
                return false;
            }
            return append(ByteBuffer.wrap(note, 0, (int) Math.min(note.length, maxFileBytes)));
        }
        return true;
    }

    /** Renames every file one step older, then starts an empty live file. */
    private boolean rotate() {
        try {
            close();
            if (keepFiles == 0) {
                Files.deleteIfExists(live);
            } else {
                for (int i = keepFiles - 1; i >= 1; i--) {
                    moveIfExists(rotated(i), rotated(i + 1));
                }
                moveIfExists(live, rotated(1));
            }
            open();
            return true;
        } catch (IOException e) {
            fail(e);
            return false;
        }
    }

    private static void moveIfExists(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            if (Files.exists(from)) {
                throw e;
            }
        }
    }

    private boolean append(ByteBuffer bytes) {
        try {
            while (bytes.hasRemaining()) {
                size += channel.write(bytes);
            }
            return true;
        } catch (IOException e) {
            fail(e);
            return false;
        }
    }

    private void fail(IOException e) {
        lastError = e.toString();
        if (channel != null) {
            FileChannel c = channel;
            channel = null;
            try {
                c.close();
            } catch (IOException closeFailure) {
                e.addSuppressed(closeFailure);
                lastError = e.toString();
            }
        }
    }

    private void drop(int length) {
        droppedBytes += length;
        unreportedDroppedBytes += length;
    }
}
