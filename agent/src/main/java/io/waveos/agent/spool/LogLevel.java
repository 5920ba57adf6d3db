package io.waveos.agent.spool;

/**
 * Whether a captured line reports an error, by the words services commonly log at that level: a
 * whole word {@code ERROR}, {@code ERR}, {@code FATAL}, {@code CRIT}, {@code CRITICAL}, {@code PANIC}
 * or {@code EMERG} (any case), as in {@code 2026-11-22 ERROR x}, {@code [error] x}, {@code level=error},
 * {@code <3>x} is not recognised. Only the first {@value #SCAN_BYTES} bytes are looked at: the level
 * sits near the start of a line, and this runs on the pipe reader's thread for every line. Pure.
 */
final class LogLevel {
    static final int SCAN_BYTES = 160;
    private static final String[] ERROR_WORDS = {"error", "err", "fatal", "crit", "critical", "panic", "emerg"};

    private LogLevel() {
    }

    static boolean isError(byte[] line) {
        int end = Math.min(line.length, SCAN_BYTES);
        int i = 0;
        while (i < end) {
            if (!letter(line[i])) {
                i++;
                continue;
            }
            int start = i;
            while (i < end && letter(line[i])) {
                i++;
            }
            if (i == end && end < line.length && letter(line[end])) {
                return false; // a word cut by the scan limit: not judged
            }
            if (isErrorWord(line, start, i)) {
                return true;
            }
        }
        return false;
    }

    private static boolean letter(byte b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
    }

    private static boolean isErrorWord(byte[] line, int start, int end) {
        for (String w : ERROR_WORDS) {
            if (w.length() == end - start) {
                boolean same = true;
                for (int k = 0; k < w.length() && same; k++) {
                    same = (line[start + k] | 0x20) == w.charAt(k);
                }
                if (same) {
                    return true;
                }
            }
        }
        return false;
    }
}
