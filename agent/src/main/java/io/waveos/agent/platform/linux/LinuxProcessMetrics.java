package io.waveos.agent.platform.linux;

import io.waveos.agent.platform.ProcessMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads {@code /proc/PID/stat} (utime, stime, starttime: proc(5) fields 14, 15, 22),
 * {@code /proc/PID/status} ({@code VmRSS}, {@code Threads}) and counts {@code /proc/PID/fd}.
 *
 * <p>{@code USER_HZ} is 100 on every Linux architecture the agent runs on (the kernel reports /proc
 * times in it whatever {@code CONFIG_HZ} is). A kernel thread or zombie has no {@code VmRSS}: its RSS
 * reads as 0.
 */
public final class LinuxProcessMetrics implements ProcessMetrics {
    private final Path proc;

    public LinuxProcessMetrics() {
        this(Path.of("/proc"));
    }

    /** Reads under {@code proc} instead of {@code /proc} (tests). */
    public LinuxProcessMetrics(Path proc) {
        this.proc = proc;
    }

    @Override
    public long ticksPerSecond() {
        return 100;
    }

    @Override
    public Optional<Figures> read(long pid) throws IOException {
        if (pid <= 0) {
            return Optional.empty();
        }
        Path dir = proc.resolve(Long.toString(pid));
        Optional<String> stat = text(dir.resolve("stat"));
        Optional<String> status = text(dir.resolve("status"));
        if (stat.isEmpty() || status.isEmpty()) {
            return Optional.empty();
        }
        long[] times = statTimes(stat.get(), dir.resolve("stat"));
        long rssKib = 0;
        int threads = -1;
        for (String line : status.get().split("\n")) {
            if (line.startsWith("VmRSS:")) {
                rssKib = number(line, dir.resolve("status"));
            } else if (line.startsWith("Threads:")) {
                threads = (int) number(line, dir.resolve("status"));
            }
        }
        if (threads < 0) {
            throw new IOException(dir.resolve("status") + ": no Threads: line");
        }
        return Optional.of(new Figures(times[0] + times[1], rssKib * 1024, threads, fds(dir.resolve("fd")), times[2]));
    }

    /** utime, stime, starttime; fields are counted after the last ')' since the name may hold spaces. */
    static long[] statTimes(String line, Path file) throws IOException {
        int close = line.lastIndexOf(')');
        String[] f = close < 0 ? new String[0] : line.substring(close + 2).trim().split(" ");
        if (f.length < 20) {
            throw new IOException(file + ": malformed stat line '" + line.strip() + "'");
        }
        try {
            // f[0] is field 3, so field N is f[N - 3].
            return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[19])};
        } catch (NumberFormatException e) {
            throw new IOException(file + ": malformed stat line '" + line.strip() + "'", e);
        }
    }

    private static long number(String line, Path file) throws IOException {
        String[] parts = line.substring(line.indexOf(':') + 1).trim().split("\\s+");
        try {
            return Long.parseLong(parts[0]);
        } catch (NumberFormatException e) {
            throw new IOException(file + ": malformed line '" + line + "'", e);
        }
    }

    private static Optional<String> text(Path file) throws IOException {
        try {
            return Optional.of(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            // A process exiting while read can fail with ESRCH instead of ENOENT.
            if (!Files.exists(file.getParent())) {
                return Optional.empty();
            }
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static Optional<Integer> fds(Path dir) throws IOException {
        int n = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path ignored : entries) {
                n++;
            }
            return Optional.of(n);
        } catch (AccessDeniedException | NoSuchFileException e) {
            return Optional.empty();
        }
    }
}
