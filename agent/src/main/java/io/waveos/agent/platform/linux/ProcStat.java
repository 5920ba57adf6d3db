package io.waveos.agent.platform.linux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The fields of {@code /proc/PID/stat} (proc(5)) the launcher needs.
 *
 * @param state field 3: R, S, D, T, t, Z (zombie), X (dead), ...
 * @param ppid field 4
 * @param pgid field 5 (pgrp)
 * @param session field 6
 * @param startTicks field 22 (starttime), clock ticks after boot; tells a pid's reuse apart
 */
record ProcStat(char state, long ppid, long pgid, long session, long startTicks) {
    private static final Path PROC = Path.of("/proc");

    /**
     * Parses a stat line. The command name (field 2) may hold spaces and parentheses, so the fields
     * are counted from after the last ')'.
     */
    static ProcStat parse(String line) {
        int close = line.lastIndexOf(')');
        if (close < 0 || close + 2 >= line.length()) {
            throw new IllegalArgumentException("malformed /proc stat line: " + line);
        }
        String[] fields = line.substring(close + 2).trim().split(" ");
        if (fields.length < 20 || fields[0].length() != 1) {
            throw new IllegalArgumentException("malformed /proc stat line: " + line);
        }
        // fields[0] is field 3, so field N is fields[N - 3].
        return new ProcStat(fields[0].charAt(0), Long.parseLong(fields[1]), Long.parseLong(fields[2]),
                Long.parseLong(fields[3]), Long.parseLong(fields[19]));
    }

    /** The stat of {@code pid}, empty when there is no such process (or it denies access). */
    static Optional<ProcStat> read(long pid) {
        if (pid <= 0) {
            return Optional.empty();
        }
        return readProcFile(PROC.resolve(Long.toString(pid)).resolve("stat"))
                .filter(bytes -> bytes.length > 0)
                .map(bytes -> parse(new String(bytes, StandardCharsets.ISO_8859_1)));
    }

    /**
     * A file under {@code /proc/PID}; empty when the process is gone or denies access, which is
     * expected while scanning /proc. Any other failure is thrown.
     */
    static Optional<byte[]> readProcFile(Path file) {
        try {
            return Optional.of(Files.readAllBytes(file));
        } catch (NoSuchFileException | AccessDeniedException e) {
            return Optional.empty();
        } catch (IOException e) {
            // A process that exits while being read can fail with ESRCH instead of ENOENT.
            if (!Files.exists(file.getParent())) {
                return Optional.empty();
            }
            throw new UncheckedIOException(e);
        }
    }

    /** False for a zombie (Z) or dead (X) process: it has exited and holds nothing but its pid. */
    boolean alive() {
        return state != 'Z' && state != 'X' && state != 'x';
    }
}
