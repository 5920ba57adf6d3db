package io.waveos.bundles.vectors;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Hand edits of tar bytes for hostile vectors: changes a ustar header field in place and recomputes
 * the header checksum, as someone with a hex editor would. Not a tar writer.
 */
final class TarPatch {

    static final int BLOCK = 512;
    private static final int CHKSUM = 148;
    private static final int TYPEFLAG = 156;
    private static final int LINKNAME = 157;

    private TarPatch() {
    }

    /** Offset of the header whose name field starts with {@code name}. */
    static int headerOf(byte[] tar, String name) {
        byte[] n = (name + "\0").getBytes(StandardCharsets.UTF_8);
        for (int off = 0; off + BLOCK <= tar.length; off += BLOCK) {
            if (Arrays.equals(tar, off, off + n.length, n, 0, n.length)) {
                return off;
            }
        }
        throw new IllegalArgumentException("no header named " + name);
    }

    /** Sets the typeflag (and link name) of the member {@code name}, which must have size 0. */
    static byte[] retype(byte[] tar, String name, char typeflag, String linkName) {
        byte[] out = tar.clone();
        int h = headerOf(out, name);
        out[h + TYPEFLAG] = (byte) typeflag;
        byte[] link = linkName.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(link, 0, out, h + LINKNAME, link.length);
        fixChecksum(out, h);
        return out;
    }

    /** Renames a member in place; the new name must fit the 100-byte name field. */
    static byte[] rename(byte[] tar, String name, String newName) {
        byte[] out = tar.clone();
        int h = headerOf(out, name);
        Arrays.fill(out, h, h + 100, (byte) 0);
        byte[] n = newName.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(n, 0, out, h, n.length);
        fixChecksum(out, h);
        return out;
    }

    /** Flips the lowest bit of the first byte of the first occurrence of {@code marker}. */
    static byte[] flipByteAt(byte[] tar, String marker) {
        byte[] out = tar.clone();
        out[indexOf(out, marker.getBytes(StandardCharsets.UTF_8))] ^= 1;
        return out;
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (haystack[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalArgumentException("marker not found");
    }

    private static void fixChecksum(byte[] tar, int h) {
        Arrays.fill(tar, h + CHKSUM, h + CHKSUM + 8, (byte) ' ');
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += tar[h + i] & 0xff;
        }
        byte[] field = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(field, 0, tar, h + CHKSUM, 8);
    }
}
