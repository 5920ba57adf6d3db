package io.waveos.agent.platform.linux;

import io.waveos.agent.platform.BootFacts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Boot facts read from procfs and sysfs at each call (they do not change during a boot).
 *
 * <p>Read failures, an empty boot id and a boot status that is not a number are thrown as
 * {@link UncheckedIOException}s naming the file; only a missing boot status file means "unknown".
 */
public final class LinuxBootFacts implements BootFacts {
    public static final Path KERNEL_BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");

    private final Path bootIdFile;
    private final Optional<Path> watchdogBootStatusFile;

    /** The kernel's boot id and {@code /sys/class/watchdog/watchdog0/bootstatus}. */
    public LinuxBootFacts() {
        this(KERNEL_BOOT_ID, Optional.of(Path.of("/sys/class/watchdog/watchdog0/bootstatus")));
    }

    /**
     * @param bootIdFile holds the boot id, surrounding white space ignored
     * @param watchdogBootStatusFile holds the watchdog's boot status in decimal or {@code 0x} hex;
     *     empty when not configured
     */
    public LinuxBootFacts(Path bootIdFile, Optional<Path> watchdogBootStatusFile) {
        this.bootIdFile = bootIdFile;
        this.watchdogBootStatusFile = watchdogBootStatusFile;
    }

    @Override
    public String bootId() {
        String id = readTrimmed(bootIdFile).orElseThrow(() -> failure(bootIdFile, "is missing"));
        if (id.isEmpty()) {
            throw failure(bootIdFile, "is empty, expected the boot id");
        }
        return id;
    }

    @Override
    public Optional<Integer> watchdogBootStatus() {
        return watchdogBootStatusFile.flatMap(file -> readTrimmed(file).map(text -> parseStatus(file, text)));
    }

    /** Decimal or {@code 0x}/{@code 0X} hexadecimal, as an unsigned 32-bit value. */
    static int parseStatus(Path file, String text) {
        boolean hex = text.startsWith("0x") || text.startsWith("0X");
        try {
            return Integer.parseUnsignedInt(hex ? text.substring(2) : text, hex ? 16 : 10);
        } catch (NumberFormatException e) {
            throw failure(file, "holds '" + text + "', expected a decimal or 0x hexadecimal number");
        }
    }

    private static Optional<String> readTrimmed(Path file) {
        try {
            return Optional.of(Files.readString(file, StandardCharsets.US_ASCII).trim());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }

    private static UncheckedIOException failure(Path file, String problem) {
        return new UncheckedIOException(new IOException(file + " " + problem));
    }
}
