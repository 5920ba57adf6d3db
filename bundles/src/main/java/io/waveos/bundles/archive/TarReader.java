package io.waveos.bundles.archive;

import io.waveos.bundles.BundleError;
import io.waveos.bundles.BundleRejected;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads a POSIX tar archive (ustar or pax) member by member from a stream, bounded in every dimension:
 * it never reads more than {@code maxArchiveBytes} from the stream, never more than a member's declared
 * size plus padding, never anything after the end-of-archive marker, and buffers at most one header
 * block plus one pax header ({@value PaxRecords#MAX_BYTES} bytes). The rules are listed in the package
 * documentation.
 *
 * <p>Not thread-safe; one caller drives it. After any refusal or I/O failure the reader is spent and
 * {@link #next()} throws {@link IllegalStateException}. Streams from {@link #content()} are valid until
 * the next call to {@code next()}; closing them does not close the archive stream, which stays the
 * caller's to close.
 */
public final class TarReader {

    private static final int SKIP_BUFFER = 8192;

    private final InputStream in;
    private final long maxArchiveBytes;
    private final byte[] block = new byte[UstarHeader.BLOCK];

    private long position;
    private long contentLeft;
    private long paddingLeft;
    private long generation;
    private String current = "";
    private boolean ended;
    private boolean failed;
    private boolean started;

    /** @param maxArchiveBytes cap on everything read from {@code in}; exceeding it is {@link BundleError#TOO_LARGE} */
    public TarReader(InputStream in, long maxArchiveBytes) {
        this.in = Objects.requireNonNull(in, "in");
        if (maxArchiveBytes < 0) {
            throw new IllegalArgumentException("maxArchiveBytes must be >= 0, was " + maxArchiveBytes);
        }
        this.maxArchiveBytes = maxArchiveBytes;
    }

    /**
     * The next member's header, or empty at the end-of-archive marker (a zero block; a second zero
     * block is read if present, nothing after it ever is). Unread content of the previous member and its
     * padding is skipped first, bounded by its declared size.
     *
     * @throws BundleRejected {@link BundleError#ARCHIVE_MALFORMED}, {@link BundleError#TRUNCATED},
     *     {@link BundleError#TOO_LARGE} or {@link BundleError#NAME_INVALID}, naming the member or the
     *     header's byte offset and the rule
     * @throws IOException when the underlying stream fails
     */
    public Optional<TarMember> next() throws BundleRejected, IOException {
        if (failed) {
            throw new IllegalStateException("the reader failed earlier and cannot continue");
        }
        if (ended) {
            return Optional.empty();
        }
        failed = true;
        skipRest();
        generation++;
        Optional<TarMember> member = readMember();
        started = true;
        failed = false;
        return member;
    }

    /**
     * The current member's content: exactly {@link TarMember#size()} bytes, then end of stream. A stream
     * that ends early throws {@link TruncatedArchiveException}.
     *
     * @throws IllegalStateException before the first member or after the end of the archive
     */
    public InputStream content() {
        if (!started || ended) {
            throw new IllegalStateException("no current member");
        }
        return new MemberContent(generation, current);
    }

    /** Bytes consumed from the underlying stream so far; never above {@code maxArchiveBytes}. */
    public long position() {
        return position;
    }

    private Optional<TarMember> readMember() throws BundleRejected, IOException {
        PaxRecords pax = null;
        while (true) {
            long offset = position;
            readHeaderBlock(offset);
            if (UstarHeader.isZeroBlock(block)) {
                if (pax != null) {
                    throw UstarHeader.malformed("header at byte " + offset, "a pax header must be followed by a member, not the end marker");
                }
                readSecondZeroBlock();
                ended = true;
                return Optional.empty();
            }
            UstarHeader header = UstarHeader.parse(block, offset);
            switch (header.typeflag()) {
                case 'x' -> {
                    if (pax != null) {
                        throw UstarHeader.malformed(header.where(), "two pax extended headers in a row");
                    }
                    pax = readPax(header);
                }
                case 'g' -> throw UstarHeader.malformed(header.where(), "pax global headers ('g') are not allowed");
                case 'L', 'K' -> throw UstarHeader.malformed(header.where(),
                        "GNU long name/link headers ('L', 'K') are not POSIX; use pax");
                default -> {
                    return Optional.of(member(header, pax));
                }
            }
        }
    }

    private TarMember member(UstarHeader header, PaxRecords pax) throws BundleRejected {
        String name = pax != null && pax.path().isPresent() ? pax.path().get() : header.joinedName();
        String link = pax != null && pax.linkPath().isPresent() ? pax.linkPath().get() : header.linkNameText();
        long size = pax != null && pax.size().isPresent() ? pax.size().getAsLong() : header.size();
        TarMember.Type type = TarMember.typeOf(header.typeflag());
        if (!TarMember.carriesContent(type) && size != 0) {
            throw new BundleRejected(BundleError.ARCHIVE_MALFORMED, name,
                    "a " + type + " member must declare size 0, not " + size);
        }
        reserve(size, name);
        contentLeft = size;
        paddingLeft = padding(size);
        current = name;
        return new TarMember(name, type, size, header.mode(), link);
    }

    private PaxRecords readPax(UstarHeader header) throws BundleRejected, IOException {
        String where = header.where() + " (pax extended header)";
        if (header.size() > PaxRecords.MAX_BYTES) {
            throw new BundleRejected(BundleError.TOO_LARGE, where, "pax header of " + header.size()
                    + " bytes exceeds " + PaxRecords.MAX_BYTES);
        }
        int size = (int) header.size();
        reserve(size, where);
        byte[] data = new byte[size];
        readFully(data, size, where, "pax header");
        current = where;
        paddingLeft = padding(size);
        contentLeft = 0;
        skipRest();
        return PaxRecords.parse(data, size, where);
    }

    /** Refuses a member whose content and padding would take the archive past the cap. */
    private void reserve(long size, String where) throws BundleRejected {
        long room = maxArchiveBytes - position;
        if (size > room || padding(size) > room - size) {
            throw new BundleRejected(BundleError.TOO_LARGE, where, "declared size " + size + " at byte " + position
                    + " exceeds the archive cap of " + maxArchiveBytes + " bytes");
        }
    }

    private static long padding(long size) {
        int rest = (int) (size % UstarHeader.BLOCK);
        return rest == 0 ? 0 : UstarHeader.BLOCK - rest;
    }

    private void readHeaderBlock(long offset) throws BundleRejected, IOException {
        String where = "header at byte " + offset;
        if (maxArchiveBytes - position < UstarHeader.BLOCK) {
            throw new BundleRejected(BundleError.TOO_LARGE, where, "a header block would exceed the archive cap of "
                    + maxArchiveBytes + " bytes");
        }
        int n = readUpTo(block, UstarHeader.BLOCK);
        if (n == 0) {
            throw new BundleRejected(BundleError.TRUNCATED, where, "archive ended without the end-of-archive marker");
        }
        if (n < UstarHeader.BLOCK) {
            throw new BundleRejected(BundleError.TRUNCATED, where, "archive ended inside a header after " + n + " bytes");
        }
    }

    /** The optional second zero block: read as far as it goes (within the cap); what is there must be zero. */
    private void readSecondZeroBlock() throws BundleRejected, IOException {
        long offset = position;
        int want = (int) Math.min(UstarHeader.BLOCK, maxArchiveBytes - position);
        int n = readUpTo(block, want);
        for (int i = 0; i < n; i++) {
            if (block[i] != 0) {
                throw UstarHeader.malformed("header at byte " + offset,
                        "the end-of-archive marker is two zero blocks; the second one is not zero");
            }
        }
    }

    private void readFully(byte[] buf, int len, String where, String what) throws BundleRejected, IOException {
        int n = readUpTo(buf, len);
        if (n < len) {
            throw new BundleRejected(BundleError.TRUNCATED, where, "archive ended inside the " + what + " after "
                    + n + " of " + len + " bytes");
        }
    }

    /** Reads until {@code len} bytes or end of stream; returns how many were read. */
    private int readUpTo(byte[] buf, int len) throws IOException {
        int total = 0;
        while (total < len) {
            int n = pull(buf, total, len - total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    /** The only place bytes come from {@code in}; counts them. Never returns 0 for len > 0. */
    private int pull(byte[] buf, int off, int len) throws IOException {
        int n = in.read(buf, off, len);
        if (n == 0) {
            int b = in.read();
            if (b < 0) {
                return -1;
            }
            buf[off] = (byte) b;
            n = 1;
        }
        if (n > 0) {
            position += n;
        }
        return n;
    }

    /** Skips what is left of the current member's content and padding, both already within the cap. */
    private void skipRest() throws BundleRejected, IOException {
        if (contentLeft == 0 && paddingLeft == 0) {
            return;
        }
        byte[] scratch = new byte[(int) Math.min(SKIP_BUFFER, contentLeft + paddingLeft)];
        while (contentLeft > 0) {
            int n = pull(scratch, 0, (int) Math.min(scratch.length, contentLeft));
            if (n < 0) {
                throw truncatedContent();
            }
            contentLeft -= n;
        }
        while (paddingLeft > 0) {
            int n = pull(scratch, 0, (int) Math.min(scratch.length, paddingLeft));
            if (n < 0) {
                throw new BundleRejected(BundleError.TRUNCATED, current, "archive ended inside the padding after the content");
            }
            paddingLeft -= n;
        }
    }

    private BundleRejected truncatedContent() {
        return new BundleRejected(BundleError.TRUNCATED, current, "archive ended with " + contentLeft
                + " content bytes still declared");
    }

    /** The current member's bytes; reads only while {@code contentLeft > 0}, so never past the declared size. */
    private final class MemberContent extends InputStream {

        private final long owner;
        private final String member;

        MemberContent(long owner, String member) {
            this.owner = owner;
            this.member = member;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (owner != generation || failed) {
                throw new IllegalStateException("content of " + member + " read after the reader moved on");
            }
            if (contentLeft == 0) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            int n = pull(b, off, (int) Math.min(len, contentLeft));
            if (n < 0) {
                failed = true;
                throw new TruncatedArchiveException(truncatedContent());
            }
            contentLeft -= n;
            return n;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(contentLeft, in.available());
        }
    }
}
