package io.waveos.companion.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fazecast.jSerialComm.SerialPort;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How {@link SerialTransport} gets jSerialComm's native library: never extracted world-writable into
 * the temp folder. The end-to-end checks run in a child JVM with its own temp and home folders, because
 * jSerialComm loads its library once per process.
 */
class SerialTransportNativeLibraryTest {
    private static final String X86_64 = "Linux/x86_64/libjSerialComm.so";

    @TempDir
    Path dir;

    @Test
    void loadsTheLibraryFromAnOwnerOnlyFolderAndLeavesTheTempFolderClean() throws Exception {
        Probe probe = runProbe(true);

        Path expectedDir = probe.home.resolve(".cache/waveos/jserialcomm");
        assertEquals(expectedDir.resolve("libjSerialComm.so").toString(), probe.mappedLibrary, probe.output);
        assertEquals("rwx------", permissions(expectedDir));
        assertEquals("rwx------", permissions(probe.home.resolve(".cache/waveos")));
        assertEquals("r-x------", permissions(expectedDir.resolve("libjSerialComm.so")));
        assertEquals(List.of(), worldWritableUnder(probe.tmp), "world-writable entries in java.io.tmpdir");
        try (Stream<Path> entries = Files.list(probe.tmp)) {
            assertEquals(List.of(), entries.toList(), "nothing at all appeared in java.io.tmpdir");
        }
        assertFalse(Files.exists(probe.home.resolve(".jSerialComm")));
    }

    @Test
    void withoutPreparationJSerialCommExtractsWorldWritableIntoTheTempFolder() throws Exception {
        // the hazard the class exists for, and proof that the probe above would see it
        Probe probe = runProbe(false);

        assertTrue(probe.mappedLibrary.startsWith(probe.tmp.toString()), probe.output);
        assertNotEquals(List.of(), worldWritableUnder(probe.tmp));
    }

    @Test
    void extractsIntoAnOwnerOnlyFolderCreatingMissingParentsOwnerOnly() throws IOException {
        Path target = dir.resolve("state/jserialcomm");

        assertEquals(target, JSerialCommNativeLibrary.extract(target, X86_64));

        assertEquals("rwx------", permissions(dir.resolve("state")));
        assertEquals("rwx------", permissions(target));
        assertEquals("r-x------", permissions(target.resolve("libjSerialComm.so")));
        assertArrayEquals(resource(X86_64), Files.readAllBytes(target.resolve("libjSerialComm.so")));
        try (Stream<Path> entries = Files.list(target)) {
            assertEquals(1, entries.count(), "no temporary file left behind");
        }
    }

    @Test
    void reusesAnIdenticalCopyAndReplacesATamperedOne() throws IOException {
        Path target = dir.resolve("jserialcomm");
        Path library = target.resolve("libjSerialComm.so");
        JSerialCommNativeLibrary.extract(target, X86_64);
        Object firstFile = fileKey(library);

        JSerialCommNativeLibrary.extract(target, X86_64);
        assertEquals(firstFile, fileKey(library), "identical copy reused");

        Files.setPosixFilePermissions(library, PosixFilePermissions.fromString("rw-------"));
        Files.write(library, new byte[] {1, 2, 3});
        JSerialCommNativeLibrary.extract(target, X86_64);
        assertArrayEquals(resource(X86_64), Files.readAllBytes(library));
        assertEquals("r-x------", permissions(library));
    }

    @Test
    void tightensAnExistingFolderToOwnerOnly() throws IOException {
        Path target = Files.createDirectory(dir.resolve("jserialcomm"));
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxrwxrwx"));

        JSerialCommNativeLibrary.extract(target, X86_64);

        assertEquals("rwx------", permissions(target));
    }

    @Test
    void refusesASymlinkAsTheExtractionFolder() throws IOException {
        Path real = Files.createDirectory(dir.resolve("real"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);

        assertThrows(IOException.class, () -> JSerialCommNativeLibrary.extract(link, X86_64));
        try (Stream<Path> entries = Files.list(real)) {
            assertEquals(0, entries.count());
        }
    }

    @Test
    void acceptsAPackagedFolderInFlatOrJarLayout() throws IOException {
        Path flat = Files.createDirectory(dir.resolve("flat"));
        Files.write(flat.resolve("libjSerialComm.so"), resource(X86_64));
        Path nested = Files.createDirectories(dir.resolve("nested/Linux/armv8_64"));
        Files.write(nested.resolve("libjSerialComm.so"), resource("Linux/armv8_64/libjSerialComm.so"));

        assertEquals(flat, JSerialCommNativeLibrary.checkPackaged(flat, "amd64", "test"));
        assertEquals(dir.resolve("nested"),
                JSerialCommNativeLibrary.checkPackaged(dir.resolve("nested"), "aarch64", "test"));
    }

    @Test
    void refusesAPackagedFolderWithoutTheLibraryOrWritableByOthers() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        IOException missing = assertThrows(IOException.class,
                () -> JSerialCommNativeLibrary.checkPackaged(empty, "amd64", "environment variable X"));
        assertTrue(missing.getMessage().contains("environment variable X"), missing.getMessage());

        Path open = Files.createDirectory(dir.resolve("open"));
        Path library = Files.write(open.resolve("libjSerialComm.so"), resource(X86_64));
        Files.setPosixFilePermissions(library, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThrows(IOException.class, () -> JSerialCommNativeLibrary.checkPackaged(open, "amd64", "test"));
    }

    @Test
    void mapsLinuxCpusToTheJarsResources() throws IOException {
        assertEquals(X86_64, JSerialCommNativeLibrary.resourceFor("Linux", "amd64"));
        assertEquals("Linux/armv8_64/libjSerialComm.so", JSerialCommNativeLibrary.resourceFor("Linux", "aarch64"));
        assertThrows(IOException.class, () -> JSerialCommNativeLibrary.resourceFor("Linux", "riscv64"));
        assertThrows(IOException.class, () -> JSerialCommNativeLibrary.resourceFor("Windows 11", "amd64"));
        assertTrue(resource("Linux/armv8_64/libjSerialComm.so").length > 0);
    }

    /** Runs {@link ProbeMain} in a child JVM with empty temp and home folders. */
    private Probe runProbe(boolean prepare) throws Exception {
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        Path home = Files.createDirectory(dir.resolve("home"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(java.toString(),
                "-Djava.io.tmpdir=" + tmp, "-Duser.home=" + home,
                "-cp", System.getProperty("java.class.path"),
                ProbeMain.class.getName(), Boolean.toString(prepare))
                .redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.remove("XDG_CACHE_HOME");
        env.remove(JSerialCommNativeLibrary.PACKAGED_DIR_ENV);
        Process process = builder.start();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        assertEquals(0, process.exitValue(), output);
        String mapped = output.lines().filter(l -> l.startsWith("mapped ")).map(l -> l.substring(7))
                .findFirst().orElseThrow(() -> new AssertionError("no mapped library in: " + output));
        return new Probe(tmp, home, mapped, output);
    }

    private record Probe(Path tmp, Path home, String mappedLibrary, String output) {
    }

    /** Child JVM: optionally prepares the library, forces jSerialComm to load it, prints where from. */
    static final class ProbeMain {
        public static void main(String[] args) throws IOException {
            if (Boolean.parseBoolean(args[0])) {
                new JSerialCommNativeLibrary(JSerialCommNativeLibrary.defaultExtractionDir()).prepare();
            }
            SerialPort.getCommPorts();
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                int slash = line.indexOf('/');
                if (slash >= 0 && line.endsWith("libjSerialComm.so")) {
                    System.out.println("mapped " + line.substring(slash));
                    return;
                }
            }
            System.out.println("libjSerialComm.so is not mapped");
        }
    }

    private static List<Path> worldWritableUnder(Path root) throws IOException {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (!p.equals(root) && !Files.isSymbolicLink(p)
                        && Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)
                                .contains(PosixFilePermission.OTHERS_WRITE)) {
                    found.add(p);
                }
            }
        }
        return found;
    }

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }

    private static Object fileKey(Path path) throws IOException {
        return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = SerialPort.class.getResourceAsStream("/" + name)) {
            assertTrue(in != null, "jar resource " + name);
            return in.readAllBytes();
        }
    }
}
