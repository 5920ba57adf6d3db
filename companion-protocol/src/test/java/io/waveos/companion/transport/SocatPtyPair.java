package io.waveos.companion.transport;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A PTY pair made by a {@code socat} process this fixture started: bytes written to one link come out
 * of the other. {@link #kill()} and {@link #close()} stop only that process.
 */
final class SocatPtyPair implements AutoCloseable {
    private final Process process;
    private final Path a;
    private final Path b;
    private final Path log;

    private SocatPtyPair(Process process, Path a, Path b, Path log) {
        this.process = process;
        this.a = a;
        this.b = b;
        this.log = log;
    }

    /** True if a {@code socat} executable is on the PATH. */
    static boolean available() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "socat"))) {
                return true;
            }
        }
        return false;
    }

    /** Starts socat with links {@code dir/a} and {@code dir/b} and waits until both exist. */
    static SocatPtyPair start(Path dir) throws IOException {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        Path log = dir.resolve("socat.log");
        Process process = new ProcessBuilder("socat", "-d", "-d",
                "pty,raw,echo=0,link=" + a, "pty,raw,echo=0,link=" + b)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        SocatPtyPair pair = new SocatPtyPair(process, a, b, log);
        try {
            Eventually.until(Duration.ofSeconds(10),
                    () -> (Files.exists(a) && Files.exists(b)) || !process.isAlive(),
                    () -> "socat links " + a + " and " + b);
            if (!process.isAlive()) {
                throw new IOException("socat exited with " + process.exitValue() + ": " + pair.log());
            }
        } catch (IOException | RuntimeException | Error e) {
            pair.close();
            throw e;
        }
        return pair;
    }

    Path a() {
        return a;
    }

    Path b() {
        return b;
    }

    /** Stops socat (SIGTERM, then SIGKILL after 10 s) and waits for it to exit. */
    void kill() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        kill();
    }
}
