package io.waveos.bundles.archive;

import io.waveos.bundles.BundleError;
import io.waveos.bundles.BundleRejected;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One 512-byte header block, checked and split into fields. Names stay raw bytes until the reader knows
 * whether a pax record overrides them (a writer may put an undecodable fallback into a field it
 * overrides).
 *
 * @param where how refusals name this header before its member name is known ({@code header at byte N})
 */
record UstarHeader(String where, byte typeflag, byte[] name, byte[] prefix, byte[] linkName, int mode, long size) {

    static final int BLOCK = 512;

    private static final byte[] POSIX_MAGIC = {'u', 's', 't', 'a', 'r', 0, '0', '0'};
    private static final byte[] GNU_MAGIC = {'u', 's', 't', 'a', 'r', ' ', ' ', 0};
    private static final int MAX_MODE = 07777777;

    static boolean isZeroBlock(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks the checksum (unsigned or signed sum), the magic and every numeric field, then splits the
     * block. GNU-magic headers carry no ustar prefix (that area holds GNU times), so it is ignored for them.
     */
    static UstarHeader parse(byte[] block, long offset) throws BundleRejected {
        String where = "header at byte " + offset;
        long stored = number(block, 148, 8, false, where, "chksum");
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            int b = (i >= 148 && i < 156) ? ' ' : block[i];
            unsigned += b & 0xff;
            signed += (byte) b;
        }
        if (stored != unsigned && stored != signed) {
            throw malformed(where, "header checksum " + stored + " does not match the block (" + unsigned + ")");
        }
        byte[] magic = Arrays.copyOfRange(block, 257, 265);
        boolean gnu = Arrays.equals(magic, GNU_MAGIC);
        if (!gnu && !Arrays.equals(magic, POSIX_MAGIC)) {
            throw malformed(where, "magic and version must be \"ustar\\0\" \"00\" (POSIX ustar/pax)");
        }
        long mode = number(block, 100, 8, false, where, "mode");
        if (mode > MAX_MODE) {
            throw malformed(where, "mode " + mode + " exceeds seven octal digits");
        }
        number(block, 108, 8, true, where, "uid");
        number(block, 116, 8, true, where, "gid");
        long size = number(block, 124, 12, true, where, "size");
        number(block, 136, 12, true, where, "mtime");
        number(block, 329, 8, true, where, "devmajor");
        number(block, 337, 8, true, where, "devminor");
        return new UstarHeader(where, block[156], field(block, 0, 100), gnu ? new byte[0] : field(block, 345, 155),
                field(block, 157, 100), (int) mode, size);
    }

    /** The name field, joined to the prefix with '/' when there is one, as strict UTF-8. */
    String joinedName() throws BundleRejected {
        String n = utf8(name, where, "name");
        return prefix.length == 0 ? n : utf8(prefix, where, "prefix") + "/" + n;
    }

    String linkNameText() throws BundleRejected {
        return utf8(linkName, where, "linkname");
    }

    /** Decodes strictly; bytes that are not UTF-8 are {@link BundleError#NAME_INVALID}. */
    static String utf8(byte[] bytes, String where, String what) throws BundleRejected {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new BundleRejected(BundleError.NAME_INVALID, where + " (" + new String(bytes, StandardCharsets.UTF_8) + ")",
                    what + " is not valid UTF-8", e);
        }
    }

    static BundleRejected malformed(String where, String rule) {
        return new BundleRejected(BundleError.ARCHIVE_MALFORMED, where, rule);
    }

    /** The bytes of a NUL-terminated text field (all of it when no NUL). */
    private static byte[] field(byte[] block, int off, int len) {
        int end = off;
        while (end < off + len && block[end] != 0) {
            end++;
        }
        return Arrays.copyOfRange(block, off, end);
    }

    /**
     * A numeric field: optional leading spaces, octal digits, then only NULs or spaces to the end of the
     * field; an all-NUL/space field is 0. With {@code base256}, a first byte with the high bit set is GNU's
     * big-endian binary form; negative or over-long values are refused.
     */
    private static long number(byte[] block, int off, int len, boolean base256, String where, String what)
            throws BundleRejected {
        int first = block[off] & 0xff;
        if ((first & 0x80) != 0) {
            if (!base256 || (first & 0x40) != 0) {
                throw malformed(where, what + " is not a non-negative octal number");
            }
            long value = first & 0x3f;
            for (int i = off + 1; i < off + len; i++) {
                if (value > (Long.MAX_VALUE >>> 8)) {
                    throw malformed(where, what + " base-256 value does not fit 63 bits");
                }
                value = (value << 8) | (block[i] & 0xff);
            }
            return value;
        }
        int i = off;
        int end = off + len;
        while (i < end && block[i] == ' ') {
            i++;
        }
        long value = 0;
        int digits = 0;
        while (i < end && block[i] >= '0' && block[i] <= '7') {
            value = value * 8 + (block[i] - '0');
            digits++;
            i++;
        }
        for (; i < end; i++) {
            if (block[i] != 0 && block[i] != ' ') {
                throw malformed(where, what + " field holds a byte 0x" + Integer.toHexString(block[i] & 0xff)
                        + " that is not an octal digit, NUL or space");
            }
        }
        if (digits == 0) {
            return 0;
        }
        return value;
    }
}
