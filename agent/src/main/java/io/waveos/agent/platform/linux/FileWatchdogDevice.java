package io.waveos.agent.platform.linux;

import io.waveos.agent.platform.WatchdogDevice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Pattern;

/**
 * A watchdog written through a file path: the kernel's {@code /dev/watchdogN} character device, or in
 * tests a regular file or a FIFO.
 *
 * <p>The path is opened write-only (never created, never truncated) on the first {@link #kick}, which
 * arms a real watchdog; each kick writes one {@code 'k'} (the driver accepts any byte). {@link #disarm}
 * writes the magic {@code 'V'} and closes, so the driver stops the timer (unless the kernel was built
 * with {@code nowayout}). A kick after a disarm opens and arms again. When a write fails the channel is
 * closed, without the magic byte, so a real watchdog keeps counting, and the next kick opens it again.
 *
 * <p>Guard: the host's watchdog ({@code /dev/watchdog}, {@code /dev/watchdog0}, ...), named directly
 * or reached through symbolic links, is refused unless {@code allowRealDevice} is true. Only the
 * agent's configuration passes true, when the operator names such a device; tests never do.
 *
 * <p>Thread-safe.
 */
public final class FileWatchdogDevice implements WatchdogDevice {
    private static final Pattern REAL_DEVICE = Pattern.compile("/dev/watchdog(\\d.*)?");
    private static final int MAX_LINK_HOPS = 40;
    private static final byte KICK = 'k';
    private static final byte MAGIC_CLOSE = 'V';

    private final Path path;
    private final boolean allowRealDevice;
    private FileChannel channel;

    /**
     * @throws IllegalArgumentException when {@code path} names the host's watchdog and
     *     {@code allowRealDevice} is false
     */
    public FileWatchdogDevice(Path path, boolean allowRealDevice) {
        this.path = path;
        this.allowRealDevice = allowRealDevice;
        if (!allowRealDevice) {
            refuseRealDeviceAlongLinks(path);
        }
    }

    /** True when the path, taken literally, is the kernel's watchdog device name. */
    static boolean namesRealDevice(Path path) {
        return REAL_DEVICE.matcher(path.toAbsolutePath().normalize().toString()).matches();
    }

    @Override
    public synchronized void kick() throws IOException {
        if (channel == null) {
            channel = open();
        }
        write(KICK);
    }

    @Override
    public synchronized void disarm() throws IOException {
        if (channel == null) {
            return;
        }
        try (FileChannel closing = channel) {
            channel = null;
            closing.write(ByteBuffer.wrap(new byte[] {MAGIC_CLOSE}));
        }
    }

    private FileChannel open() throws IOException {
        Path real = path.toRealPath();
        if (!allowRealDevice && namesRealDevice(real)) {
            // Checked again at open time: a parent directory may be a link into /dev.
            throw new IOException("refusing to open " + path + ": it resolves to the host's watchdog "
                    + real + " and real devices are not allowed here");
        }
        return FileChannel.open(real, StandardOpenOption.WRITE);
    }

    private void write(byte b) throws IOException {
        try {
            channel.write(ByteBuffer.wrap(new byte[] {b}));
        } catch (IOException | RuntimeException e) {
            try {
                channel.close();
            } catch (IOException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            channel = null;
            throw e;
        }
    }

    private static void refuseRealDeviceAlongLinks(Path path) {
        Path current = path.toAbsolutePath().normalize();
        for (int hop = 0; hop <= MAX_LINK_HOPS; hop++) {
            if (namesRealDevice(current)) {
                throw new IllegalArgumentException("refusing watchdog path " + path + " (reaches "
                        + current + "): the host's watchdog may only be used when the operator names it");
            }
            if (!Files.isSymbolicLink(current)) {
                return;
            }
            try {
                current = current.resolveSibling(Files.readSymbolicLink(current)).normalize();
            } catch (IOException e) {
                return; // the link vanished; open() checks the real path again
            }
        }
    }
}
