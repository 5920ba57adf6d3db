package io.waveos.companion.transport;

import com.fazecast.jSerialComm.SerialPort;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * Makes jSerialComm load its native library from a folder only we can write, never from the temp
 * folder. Left alone, jSerialComm copies {@code libjSerialComm.so} out of its jar into
 * {@code java.io.tmpdir} (or {@code ~/.jSerialComm}) with permissions open to everyone, and loads it:
 * any local user who can replace that file runs code in our process, which for the agent is root.
 * jSerialComm skips that when the system property {@value #LIBRARY_PATH_PROPERTY} names a folder
 * holding the library, so {@link #prepare()} sets it before the first use of {@link SerialPort}.
 *
 * <p>Where the library comes from, first match wins (see {@code docs/adr/0003-jserialcomm-native-library.md}):
 * <ol>
 *   <li>{@code -D}{@value #LIBRARY_PATH_PROPERTY}{@code =<dir>} already set by the launcher: used as is;</li>
 *   <li>the environment variable {@value #PACKAGED_DIR_ENV}: the folder the device package installs;</li>
 *   <li>otherwise the library for this CPU is copied out of the jSerialComm jar, once, into the
 *       extraction folder given to the constructor (default {@link #defaultExtractionDir()}), which is
 *       created owner-only ({@code 0700}); the file is written to a temporary name, made
 *       {@code r-x------} and renamed into place, and an existing identical copy is reused.</li>
 * </ol>
 * In the first two cases the folder must hold {@code libjSerialComm.so} (directly, or under
 * {@code Linux/<arch>/} as in the jar) and neither it nor the file may be writable by group or others:
 * a missing library would make jSerialComm fall back to the temp folder silently, so it is an error
 * here. An existing extraction folder must be a real directory owned by this user; its permissions are
 * reset to {@code 0700}.
 *
 * <p>The property is process-wide and jSerialComm reads it once, when {@link SerialPort} is first
 * initialised; {@code prepare()} is idempotent and thread-safe, and {@link SerialTransport} calls it
 * before touching {@link SerialPort}. Linux on x86_64 and aarch64 is supported for extraction.
 */
public final class JSerialCommNativeLibrary {
    /** jSerialComm's own system property: the folder it loads {@code libjSerialComm.so} from. */
    public static final String LIBRARY_PATH_PROPERTY = "jSerialComm.library.path";
    /** Environment variable naming the folder where the device package installed the library. */
    public static final String PACKAGED_DIR_ENV = "WAVEOS_JSERIALCOMM_DIR";
    static final String LIBRARY_FILE = "libjSerialComm.so";

    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_ONLY_TEMP = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_READ_EXEC = PosixFilePermissions.fromString("r-x------");

    private final Path extractionDir;

    /** @param extractionDir where to extract the library when no packaged copy is configured */
    public JSerialCommNativeLibrary(Path extractionDir) {
        this.extractionDir = extractionDir.toAbsolutePath();
    }

    /** {@code $XDG_CACHE_HOME/waveos/jserialcomm}, or {@code ~/.cache/waveos/jserialcomm}. */
    public static Path defaultExtractionDir() {
        String cache = System.getenv("XDG_CACHE_HOME");
        Path base = cache != null && !cache.isEmpty()
                ? Path.of(cache)
                : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("waveos").resolve("jserialcomm");
    }

    /**
     * Makes sure jSerialComm will load its library from a safe folder and returns that folder.
     *
     * @throws IOException if a configured folder lacks the library or is writable by others, if the
     *     extraction folder cannot be made private, or if there is no bundled library for this CPU
     */
    public Path prepare() throws IOException {
        synchronized (JSerialCommNativeLibrary.class) {
            String arch = System.getProperty("os.arch", "");
            String configured = System.getProperty(LIBRARY_PATH_PROPERTY, "");
            if (!configured.isEmpty()) {
                return checkPackaged(Path.of(configured), arch, "system property " + LIBRARY_PATH_PROPERTY);
            }
            String packaged = System.getenv(PACKAGED_DIR_ENV);
            Path dir;
            if (packaged != null && !packaged.isEmpty()) {
                dir = checkPackaged(Path.of(packaged), arch, "environment variable " + PACKAGED_DIR_ENV);
            } else {
                dir = extract(extractionDir, resourceFor(System.getProperty("os.name", ""), arch));
            }
            System.setProperty(LIBRARY_PATH_PROPERTY, dir.toString());
            return dir;
        }
    }

    /** The jar resource holding the library for this OS and CPU, e.g. {@code Linux/x86_64/libjSerialComm.so}. */
    static String resourceFor(String osName, String osArch) throws IOException {
        if (!osName.toLowerCase(Locale.ROOT).contains("linux")) {
            throw new IOException("no extraction of jSerialComm's library on " + osName
                    + ": install it and set " + PACKAGED_DIR_ENV);
        }
        return switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "Linux/x86_64/" + LIBRARY_FILE;
            case "aarch64", "arm64" -> "Linux/armv8_64/" + LIBRARY_FILE;
            default -> throw new IOException("no bundled jSerialComm library for os.arch=" + osArch
                    + ": install it and set " + PACKAGED_DIR_ENV);
        };
    }

    static Path checkPackaged(Path dir, String arch, String source) throws IOException {
        Path absolute = dir.toAbsolutePath();
        Path library = absolute.resolve(LIBRARY_FILE);
        if (!Files.isRegularFile(library)) {
            try {
                Path nested = absolute.resolve(resourceFor("linux", arch));
                if (Files.isRegularFile(nested)) {
                    library = nested;
                }
            } catch (IOException unsupportedArch) {
                // only the flat layout can serve this CPU; the check below reports it missing
            }
        }
        if (!Files.isRegularFile(library)) {
            throw new IOException(source + " names " + absolute + ", which holds no " + LIBRARY_FILE
                    + " (expected " + absolute.resolve(LIBRARY_FILE) + ")");
        }
        requireNotWritableByOthers(library, source);
        requireNotWritableByOthers(library.getParent(), source);
        return absolute;
    }

    private static void requireNotWritableByOthers(Path path, String source) throws IOException {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
        if (permissions.contains(PosixFilePermission.GROUP_WRITE)
                || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IOException(source + ": " + path + " is writable by group or others ("
                    + PosixFilePermissions.toString(permissions) + "); expected no group/other write");
        }
    }

    static Path extract(Path dir, String resource) throws IOException {
        makePrivateDirectory(dir);
        byte[] library = readResource(resource);
        Path target = dir.resolve(LIBRARY_FILE);
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && isOurIdenticalCopy(target, library)) {
            Files.setPosixFilePermissions(target, OWNER_READ_EXEC);
            return dir;
        }
        Path temp = Files.createTempFile(dir, LIBRARY_FILE, ".tmp",
                PosixFilePermissions.asFileAttribute(OWNER_ONLY_TEMP));
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer remaining = ByteBuffer.wrap(library);
                while (remaining.hasRemaining()) {
                    out.write(remaining);
                }
                out.force(true);
            }
            Files.setPosixFilePermissions(temp, OWNER_READ_EXEC);
            // rename, never rewrite in place: another JVM may have the old copy mapped right now
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot rename " + temp + " to " + target + " atomically", e);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        return dir;
    }

    private static void makePrivateDirectory(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            // missing ancestors are created owner-only too
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("jSerialComm extraction folder " + dir + " is not a directory (or is a symlink)");
        }
        requireOwnedByUs(dir);
        Files.setPosixFilePermissions(dir, OWNER_ONLY_DIR);
    }

    private static boolean isOurIdenticalCopy(Path file, byte[] expected) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        requireOwnedByUs(file);
        return Files.size(file) == expected.length && Arrays.equals(Files.readAllBytes(file), expected);
    }

    private static void requireOwnedByUs(Path path) throws IOException {
        Object owner = Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        Object us = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        if (!owner.equals(us)) {
            throw new IOException(path + " is owned by uid " + owner + ", not by this process (uid " + us + ")");
        }
    }

    private static byte[] readResource(String resource) throws IOException {
        // SerialPort.class as a literal does not initialise the class, so nothing is loaded yet
        try (InputStream in = SerialPort.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IOException("jSerialComm jar has no resource " + resource);
            }
            return in.readAllBytes();
        }
    }
}
