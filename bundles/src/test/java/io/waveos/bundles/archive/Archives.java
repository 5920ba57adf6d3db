package io.waveos.bundles.archive;

import io.waveos.bundles.BundleRejected;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Test archives: writing with {@link TarWriter}, reading everything back, and hand-made header blocks. */
final class Archives {

    /** A member and the content read for it. */
    record Entry(TarMember member, byte[] content) {
        String text() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    private Archives() {
    }

    static byte[] write(Object... nameAndContent) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarWriter w = new TarWriter(out)) {
            for (int i = 0; i < nameAndContent.length; i += 2) {
                Object c = nameAndContent[i + 1];
                byte[] bytes = c instanceof byte[] b ? b : ((String) c).getBytes(StandardCharsets.UTF_8);
                w.addFile((String) nameAndContent[i], 0644, bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static List<Entry> readAll(byte[] archive) throws BundleRejected, IOException {
        return readAll(new ByteArrayInputStream(archive), Long.MAX_VALUE);
    }

    static List<Entry> readAll(InputStream in, long cap) throws BundleRejected, IOException {
        TarReader reader = new TarReader(in, cap);
        List<Entry> entries = new ArrayList<>();
        for (Optional<TarMember> m = reader.next(); m.isPresent(); m = reader.next()) {
            entries.add(new Entry(m.get(), reader.content().readAllBytes()));
        }
        return entries;
    }

    /** A stream that returns at most one byte per read and counts how many it gave out. */
    static final class OneByteAtATime extends FilterInputStream {
        long served;

        OneByteAtATime(byte[] data) {
            super(new ByteArrayInputStream(data));
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, Math.min(len, 1));
            served += Math.max(n, 0);
            return n;
        }

        @Override
        public int read() throws IOException {
            int n = super.read();
            served += n < 0 ? 0 : 1;
            return n;
        }
    }

    /** A hand-made ustar header block; {@link #block()} fills in a valid checksum unless told otherwise. */
    static final class Header {
        final byte[] b = new byte[512];

        Header(String name, char typeflag, long size) {
            text(0, name);
            text(100, "0000644");
            text(108, "0000000");
            text(116, "0000000");
            text(124, String.format("%011o", size));
            text(136, "00000000000");
            b[156] = (byte) typeflag;
            text(257, "ustar");
            text(263, "00");
        }

        Header text(int off, String s) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            System.arraycopy(bytes, 0, b, off, bytes.length);
            return this;
        }

        Header raw(int off, byte... bytes) {
            System.arraycopy(bytes, 0, b, off, bytes.length);
            return this;
        }

        Header field(int off, int len, String s) {
            Arrays.fill(b, off, off + len, (byte) 0);
            return text(off, s);
        }

        byte[] block() {
            Arrays.fill(b, 148, 156, (byte) ' ');
            int sum = 0;
            for (byte x : b) {
                sum += x & 0xff;
            }
            byte[] out = b.clone();
            byte[] chk = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(chk, 0, out, 148, 8);
            return out;
        }
    }

    /** Content padded to whole blocks. */
    static byte[] padded(byte[] content) {
        return Arrays.copyOf(content, (content.length + 511) / 512 * 512);
    }

    /** A pax 'x' header block plus its padded records. */
    static byte[] pax(String records) {
        byte[] body = records.getBytes(StandardCharsets.UTF_8);
        return concat(new Header("././@PaxHeader", 'x', body.length).block(), padded(body));
    }

    static byte[] endMarker() {
        return new byte[1024];
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
