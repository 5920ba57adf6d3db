package io.waveos.bundles.archive;

import io.waveos.bundles.BundleError;
import io.waveos.bundles.BundleRejected;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The overrides a pax extended header ({@code 'x'}) applies to the next member. Records are
 * {@code "<length> <key>=<value>\n"} where length counts the whole record in decimal; they must tile the
 * header exactly. Only {@code path}, {@code linkpath} and {@code size} are applied; other keys are
 * checked for form and otherwise ignored, except {@code GNU.sparse.*}, which changes how content is
 * laid out and is refused.
 */
record PaxRecords(Optional<String> path, Optional<String> linkPath, OptionalLong size) {

    /** The largest pax extended header the reader buffers. */
    static final int MAX_BYTES = 64 * 1024;

    private static final int MAX_LENGTH_DIGITS = 6;

    static PaxRecords parse(byte[] data, int len, String where) throws BundleRejected {
        Optional<String> path = Optional.empty();
        Optional<String> linkPath = Optional.empty();
        OptionalLong size = OptionalLong.empty();
        Set<String> seen = new HashSet<>();
        int i = 0;
        while (i < len) {
            String at = where + " pax record at +" + i;
            int j = i;
            long recordLength = 0;
            while (j < len && data[j] >= '0' && data[j] <= '9') {
                if (j - i == MAX_LENGTH_DIGITS) {
                    throw UstarHeader.malformed(at, "record length has more than " + MAX_LENGTH_DIGITS + " digits");
                }
                recordLength = recordLength * 10 + (data[j] - '0');
                j++;
            }
            if (j == i || data[i] == '0') {
                throw UstarHeader.malformed(at, "record must start with a decimal length without leading zeros");
            }
            if (j >= len || data[j] != ' ') {
                throw UstarHeader.malformed(at, "record length must be followed by a space");
            }
            if (recordLength > len - i) {
                throw UstarHeader.malformed(at, "record length " + recordLength + " runs past the header's "
                        + len + " bytes");
            }
            int end = i + (int) recordLength;
            if (end <= j + 1 || data[end - 1] != '\n') {
                throw UstarHeader.malformed(at, "record length " + recordLength + " does not end at a newline");
            }
            int keyStart = j + 1;
            int eq = keyStart;
            while (eq < end - 1 && data[eq] != '=') {
                eq++;
            }
            if (eq == end - 1 || eq == keyStart) {
                throw UstarHeader.malformed(at, "record must be <key>=<value> with a non-empty key");
            }
            String key = strictKey(data, keyStart, eq, at);
            if (!seen.add(key)) {
                throw UstarHeader.malformed(at, "key " + key + " appears twice");
            }
            byte[] value = Arrays.copyOfRange(data, eq + 1, end - 1);
            switch (key) {
                case "path" -> path = Optional.of(nonEmptyName(value, at, key));
                case "linkpath" -> linkPath = Optional.of(nonEmptyName(value, at, key));
                case "size" -> size = OptionalLong.of(decimal(value, at));
                default -> {
                    if (key.startsWith("GNU.sparse.")) {
                        throw UstarHeader.malformed(at, "GNU sparse members are not supported (" + key + ")");
                    }
                }
            }
            i = end;
        }
        return new PaxRecords(path, linkPath, size);
    }

    private static String strictKey(byte[] data, int from, int to, String at) throws BundleRejected {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data, from, to - from))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new BundleRejected(BundleError.ARCHIVE_MALFORMED, at, "key is not valid UTF-8", e);
        }
    }

    private static String nonEmptyName(byte[] value, String at, String key) throws BundleRejected {
        if (value.length == 0) {
            throw UstarHeader.malformed(at, key + " must not be empty (deleting a keyword is not supported)");
        }
        return UstarHeader.utf8(value, at, key);
    }

    private static long decimal(byte[] value, String at) throws BundleRejected {
        if (value.length == 0 || value.length > 18) {
            throw UstarHeader.malformed(at, "size must be 1 to 18 decimal digits");
        }
        long n = 0;
        for (byte b : value) {
            if (b < '0' || b > '9') {
                throw UstarHeader.malformed(at, "size must be decimal digits only");
            }
            n = n * 10 + (b - '0');
        }
        return n;
    }
}
