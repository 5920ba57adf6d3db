package io.waveos.bundles.archive;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Writes a deterministic POSIX tar archive of regular files: the same files in the same order give the
 * same bytes. Every header has mtime 0, uid/gid 0, empty uname/gname and typeflag {@code '0'}. A name
 * that is not ASCII or longer than the 100-byte ustar name field (the ustar prefix is never used) is
 * carried by a pax {@code 'x'} header with a {@code path} record, as is a size above the 11-digit octal
 * field. Names are written as given: judging them is the caller's business.
 *
 * <p>Not thread-safe. {@link #close()} finishes the archive if needed and closes the output stream.
 */
public final class TarWriter implements Closeable {

    private static final int BLOCK = UstarHeader.BLOCK;
    private static final int RECORD = 20 * BLOCK;
    private static final int NAME_FIELD = 100;
    private static final long MAX_OCTAL_SIZE = 077777777777L;
    private static final String PAX_HEADER_NAME = "././@PaxHeader";

    private final OutputStream out;
    private long written;
    private boolean finished;

    public TarWriter(OutputStream out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    /**
     * Adds a regular file, copying exactly {@code size} bytes from {@code content} (which is not closed).
     *
     * @param mode permission bits, 0 to 07777
     * @throws IOException if {@code content} has fewer than {@code size} bytes, or writing fails
     */
    public void addFile(String name, int mode, long size, InputStream content) throws IOException {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(content, "content");
        if (finished) {
            throw new IllegalStateException("the archive is finished");
        }
        if (name.isEmpty() || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("name must be non-empty and free of NUL: " + name);
        }
        if (mode < 0 || mode > 07777) {
            throw new IllegalArgumentException("mode must be within 0..07777, was " + Integer.toOctalString(mode));
        }
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, was " + size);
        }
        boolean paxName = !fitsUstarName(name);
        boolean paxSize = size > MAX_OCTAL_SIZE;
        if (paxName || paxSize) {
            ByteArrayOutputStream records = new ByteArrayOutputStream();
            if (paxName) {
                paxRecord(records, "path", name);
            }
            if (paxSize) {
                paxRecord(records, "size", Long.toString(size));
            }
            byte[] body = records.toByteArray();
            writeBlock(header(PAX_HEADER_NAME, 0644, body.length, (byte) 'x'));
            writeContent(new ByteArrayInputStream(body), body.length, PAX_HEADER_NAME);
        }
        writeBlock(header(paxName ? fallbackName(name) : name, mode, paxSize ? 0 : size, (byte) '0'));
        writeContent(content, size, name);
    }

    public void addFile(String name, int mode, byte[] content) throws IOException {
        addFile(name, mode, content.length, new ByteArrayInputStream(content));
    }

    /** Writes the end-of-archive marker (two zero blocks), pads to a 10240-byte record and flushes. Idempotent. */
    public void finish() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        byte[] zero = new byte[BLOCK];
        writeBlock(zero);
        writeBlock(zero);
        while (written % RECORD != 0) {
            writeBlock(zero);
        }
        out.flush();
    }

    @Override
    public void close() throws IOException {
        try {
            finish();
        } finally {
            out.close();
        }
    }

    private static boolean fitsUstarName(String name) {
        if (name.length() > NAME_FIELD) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** What the ustar name field holds when pax carries the real name: ASCII, '_' for the rest, cut to fit. */
    private static String fallbackName(String name) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < name.length() && b.length() < NAME_FIELD; i++) {
            char c = name.charAt(i);
            b.append(c < 0x80 ? c : '_');
        }
        return b.toString();
    }

    private static void paxRecord(ByteArrayOutputStream records, String key, String value) {
        byte[] body = (" " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8);
        int length = body.length;
        while (length != body.length + Integer.toString(length).length()) {
            length = body.length + Integer.toString(length).length();
        }
        records.writeBytes(Integer.toString(length).getBytes(StandardCharsets.US_ASCII));
        records.writeBytes(body);
    }

    private static byte[] header(String name, int mode, long size, byte typeflag) {
        byte[] h = new byte[BLOCK];
        put(h, 0, name);
        put(h, 100, String.format("%07o", mode));
        put(h, 108, "0000000");
        put(h, 116, "0000000");
        put(h, 124, String.format("%011o", size));
        put(h, 136, "00000000000");
        Arrays.fill(h, 148, 156, (byte) ' ');
        h[156] = typeflag;
        put(h, 257, "ustar");
        put(h, 263, "00");
        put(h, 329, "0000000");
        put(h, 337, "0000000");
        int sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, String.format("%06o", sum));
        h[154] = 0;
        h[155] = ' ';
        return h;
    }

    private static void put(byte[] h, int off, String ascii) {
        byte[] bytes = ascii.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, h, off, bytes.length);
    }

    private void writeBlock(byte[] b) throws IOException {
        out.write(b);
        written += b.length;
    }

    private void writeContent(InputStream content, long size, String name) throws IOException {
        byte[] buf = new byte[(int) Math.min(8192, Math.max(size, 1))];
        long left = size;
        while (left > 0) {
            int n = content.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new IOException(name + ": content ended after " + (size - left) + " of " + size + " bytes");
            }
            out.write(buf, 0, n);
            left -= n;
        }
        written += size;
        int rest = (int) (size % BLOCK);
        if (rest != 0) {
            byte[] pad = new byte[BLOCK - rest];
            out.write(pad);
            written += pad.length;
        }
    }
}
