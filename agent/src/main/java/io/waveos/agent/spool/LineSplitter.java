package io.waveos.agent.spool;

import java.util.Arrays;

/**
 * Cuts a byte stream into lines, pure and incremental: fed arbitrary chunks, it hands out each line
 * without its {@code \n}. Memory is bounded by {@code maxLineBytes}: a longer line is handed out in
 * pieces of exactly {@code maxLineBytes}, each flagged {@link SpoolRecord#TRUNCATED} except the last;
 * {@link #finish} hands out a line left without a newline, flagged {@link SpoolRecord#PARTIAL}.
 * Bytes are not decoded: invalid UTF-8 and NUL bytes pass through unchanged.
 *
 * <p>Not thread-safe: one pipe reader owns an instance.
 */
public final class LineSplitter {
    /** Receives each line; the array is a fresh copy the receiver may keep. */
    @FunctionalInterface
    public interface LineSink {
        void line(byte[] line, int flags);
    }

    private final byte[] pending;
    private int used;

    public LineSplitter(int maxLineBytes) {
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("maxLineBytes must be positive: " + maxLineBytes);
        }
        this.pending = new byte[maxLineBytes];
    }

    /** Feeds {@code length} bytes of {@code chunk} from {@code offset}. */
    public void feed(byte[] chunk, int offset, int length, LineSink sink) {
        int at = offset;
        int end = offset + length;
        while (at < end) {
            int newline = indexOf(chunk, at, end);
            int stop = newline < 0 ? end : newline;
            while (at < stop) {
                if (used == pending.length) {
                    // Only now, with one more byte of the same line in hand, is the line known to be too long.
                    emit(sink, SpoolRecord.TRUNCATED);
                }
                int n = Math.min(stop - at, pending.length - used);
                System.arraycopy(chunk, at, pending, used, n);
                used += n;
                at += n;
            }
            if (newline >= 0) {
                emit(sink, 0);
                at = newline + 1;
            }
        }
    }

    /** The stream ended: hands out a line left without its newline, if any. */
    public void finish(LineSink sink) {
        if (used > 0) {
            emit(sink, SpoolRecord.PARTIAL);
        }
    }

    /** Bytes held of a line not yet complete. */
    public int pendingBytes() {
        return used;
    }

    private void emit(LineSink sink, int flags) {
        byte[] line = Arrays.copyOf(pending, used);
        used = 0;
        sink.line(line, flags);
    }

    private static int indexOf(byte[] chunk, int from, int end) {
        for (int i = from; i < end; i++) {
            if (chunk[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
