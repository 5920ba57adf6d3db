package io.waveos.companion.frame;

import java.util.Arrays;
import java.util.Objects;

/**
 * Consistent Overhead Byte Stuffing (Cheshire and Baker, 1999) in its canonical form.
 *
 * <p>The encoding of {@code n} bytes contains no 0x00 and is at most {@link #maxEncodedLength(int)}
 * bytes long. Canonical: a final block of 254 non-zero bytes (code 0xFF) is <em>not</em> followed by
 * an empty block (code 0x01). {@link #decode} accepts only canonical encodings, so every byte string
 * has exactly one encoding and a decoded frame re-encodes to the bytes it came from.
 */
public final class Cobs {

    /** Longest run of data bytes in one block. */
    static final int MAX_BLOCK_DATA = 254;

    private Cobs() {}

    /** Upper bound of the encoded length of {@code rawLength} bytes, excluding the delimiter. */
    public static int maxEncodedLength(int rawLength) {
        if (rawLength < 0) {
            throw new IllegalArgumentException("rawLength must be >= 0, was " + rawLength);
        }
        return rawLength + 1 + rawLength / MAX_BLOCK_DATA;
    }

    /**
     * Encodes {@code in[off, off+len)} into {@code out} at {@code outOff}.
     *
     * @return the number of bytes written (no delimiter is written)
     * @throws IndexOutOfBoundsException if {@code out} has fewer than {@link #maxEncodedLength(int)}
     *     bytes from {@code outOff} and the encoding does not fit
     */
    public static int encode(byte[] in, int off, int len, byte[] out, int outOff) {
        Objects.checkFromIndexSize(off, len, in.length);
        int codeAt = outOff;
        int o = outOff + 1;
        int code = 1;
        for (int i = 0; i < len; i++) {
            byte b = in[off + i];
            if (b == 0) {
                out[codeAt] = (byte) code;
                codeAt = o++;
                code = 1;
            } else {
                out[o++] = b;
                code++;
                if (code == 0xFF) {
                    out[codeAt] = (byte) code;
                    code = 1;
                    // Canonical: a full block at the very end is not followed by an empty block.
                    codeAt = i + 1 < len ? o++ : -1;
                }
            }
        }
        if (codeAt >= 0) {
            out[codeAt] = (byte) code;
        }
        return o - outOff;
    }

    /** Encodes {@code raw} into a new array (no delimiter). */
    public static byte[] encode(byte[] raw) {
        byte[] out = new byte[maxEncodedLength(raw.length)];
        int n = encode(raw, 0, raw.length, out, 0);
        return Arrays.copyOf(out, n);
    }

    /**
     * Decodes {@code in[0, len)} (no delimiter) into {@code out}, which must hold {@code len} bytes.
     *
     * @return the decoded length, or -1 when the input is not a canonical COBS encoding: a 0x00 byte,
     *     a block that runs past the end, or an empty block right after a final full block
     */
    public static int decode(byte[] in, int len, byte[] out) {
        Objects.checkFromIndexSize(0, len, in.length);
        for (int i = 0; i < len; i++) {
            if (in[i] == 0) {
                return -1;
            }
        }
        return decodeWithoutZeros(in, len, out);
    }

    /** As {@link #decode}, for input known to hold no 0x00 (a frame cut at its delimiters). */
    static int decodeWithoutZeros(byte[] in, int len, byte[] out) {
        int i = 0;
        int o = 0;
        int previousCode = 0;
        while (i < len) {
            int code = in[i++] & 0xFF;
            int data = code - 1;
            if (data > len - i) {
                return -1;
            }
            System.arraycopy(in, i, out, o, data);
            i += data;
            o += data;
            if (i < len) {
                if (code != 0xFF) {
                    out[o++] = 0;
                }
            } else if (code == 1 && previousCode == 0xFF) {
                return -1;
            }
            previousCode = code;
        }
        return o;
    }
}
