package io.waveos.agent.spool;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The record format of docs/spool.md, pure: bytes in, values out. Big-endian.
 *
 * <pre>
 * offset size field
 *  0     4    magic "WSR1" (0x57 0x53 0x52 0x31)
 *  4     4    body length L, unsigned, {@value #MIN_BODY_BYTES}..{@value #MAX_BODY_BYTES}
 *  8     4    CRC-32C (Castagnoli) of bytes 4..7 (the length) followed by the L body bytes
 * 12     8    sequence number
 * 20     8    wall time, microseconds since the epoch
 * 28     8    monotonic time, nanoseconds
 * 36     1    stream (0 stdout, 1 stderr, 2 agent)
 * 37     1    flags (1 truncated, 2 partial)
 * 38     1    service name length S (1..255)
 * 39     S    service name, UTF-8
 * 39+S   rest payload: the line without its newline
 * </pre>
 *
 * The CRC covers the length, so a flipped length bit is caught like a flipped payload bit; the magic
 * lets a reader find the next record after a corrupt one.
 */
public final class RecordCodec {
    public static final int HEADER_BYTES = 12;
    public static final int MIN_BODY_BYTES = 28;
    /** Bodies above this are refused by the decoder: a corrupt length must not make a reader allocate. */
    public static final int MAX_BODY_BYTES = 1024 * 1024 + 512;
    private static final byte[] MAGIC = {0x57, 0x53, 0x52, 0x31};

    private RecordCodec() {
    }

    /** What {@link #decode} found at an offset. */
    public sealed interface Result permits Decoded, Incomplete, Invalid {
    }

    /** A whole, valid record ending at {@code end}. */
    public record Decoded(SpoolRecord record, int end) implements Result {
    }

    /** The bytes end inside a record that looks valid so far (a torn tail, or a reader racing the writer). */
    public record Incomplete() implements Result {
    }

    /** Not a valid record: wrong magic, impossible length, CRC mismatch or an unknown stream. */
    public record Invalid(String reason) implements Result {
    }

    /** The encoded size of a record. */
    public static int encodedLength(SpoolRecord r) {
        return HEADER_BYTES + MIN_BODY_BYTES - 1 + r.service().getBytes(StandardCharsets.UTF_8).length
                + r.payloadLength();
    }

    public static byte[] encode(SpoolRecord r) {
        return encode(r.sequence(), r.wallMicros(), r.monotonicNanos(), r.service().getBytes(StandardCharsets.UTF_8),
                r.stream(), r.flags(), r.payload());
    }

    /**
     * The writer's path: the same bytes as {@link #encode(SpoolRecord)} without building a record or
     * copying the payload. The caller has validated the fields (as {@link SpoolRecord} would).
     */
    static byte[] encode(long sequence, long wallMicros, long monotonicNanos, byte[] service, Stream stream,
            int flags, byte[] payload) {
        int bodyLength = MIN_BODY_BYTES - 1 + service.length + payload.length;
        if (bodyLength > MAX_BODY_BYTES) {
            throw new IllegalArgumentException("record body of " + bodyLength + " bytes exceeds " + MAX_BODY_BYTES);
        }
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + bodyLength);
        b.put(MAGIC).putInt(bodyLength).putInt(0);
        b.putLong(sequence).putLong(wallMicros).putLong(monotonicNanos);
        b.put((byte) stream.code()).put((byte) flags).put((byte) service.length);
        b.put(service).put(payload);
        byte[] bytes = b.array();
        ByteBuffer.wrap(bytes, 8, 4).putInt(crc(bytes, 0, bodyLength));
        return bytes;
    }

    /** Decodes the record at {@code offset}; {@code limit} is the end of the valid bytes. */
    public static Result decode(byte[] bytes, int offset, int limit) {
        int available = limit - offset;
        for (int i = 0; i < Math.min(MAGIC.length, available); i++) {
            if (bytes[offset + i] != MAGIC[i]) {
                return new Invalid("no record magic at offset " + offset);
            }
        }
        if (available < 8) {
            return new Incomplete();
        }
        long bodyLength = Integer.toUnsignedLong(ByteBuffer.wrap(bytes, offset + 4, 4).getInt());
        if (bodyLength < MIN_BODY_BYTES || bodyLength > MAX_BODY_BYTES) {
            return new Invalid("impossible body length " + bodyLength + " at offset " + offset);
        }
        if (available < HEADER_BYTES + bodyLength) {
            return new Incomplete();
        }
        int stored = ByteBuffer.wrap(bytes, offset + 8, 4).getInt();
        if (stored != crc(bytes, offset, (int) bodyLength)) {
            return new Invalid("CRC-32C mismatch at offset " + offset);
        }
        return body(bytes, offset + HEADER_BYTES, (int) bodyLength);
    }

    private static Result body(byte[] bytes, int start, int length) {
        ByteBuffer b = ByteBuffer.wrap(bytes, start, length);
        long sequence = b.getLong();
        long wall = b.getLong();
        long mono = b.getLong();
        int streamCode = Byte.toUnsignedInt(b.get());
        int flags = Byte.toUnsignedInt(b.get());
        int serviceLength = Byte.toUnsignedInt(b.get());
        var stream = Stream.ofCode(streamCode);
        if (stream.isEmpty() || serviceLength == 0 || serviceLength > b.remaining() || sequence < 0
                || (flags & ~(SpoolRecord.TRUNCATED | SpoolRecord.PARTIAL)) != 0) {
            return new Invalid("malformed body at offset " + (start - HEADER_BYTES));
        }
        String service = new String(bytes, b.position(), serviceLength, StandardCharsets.UTF_8);
        byte[] payload = new byte[length - (MIN_BODY_BYTES - 1) - serviceLength];
        System.arraycopy(bytes, b.position() + serviceLength, payload, 0, payload.length);
        SpoolRecord r = new SpoolRecord(sequence, wall, mono, service, stream.get(), flags, payload);
        return new Decoded(r, start + length);
    }

    /** The next offset at or after {@code from} where the magic starts, or {@code limit} if none. */
    public static int nextMagic(byte[] bytes, int from, int limit) {
        for (int i = Math.max(from, 0); i + MAGIC.length <= limit; i++) {
            if (bytes[i] == MAGIC[0] && bytes[i + 1] == MAGIC[1] && bytes[i + 2] == MAGIC[2]
                    && bytes[i + 3] == MAGIC[3]) {
                return i;
            }
        }
        return limit;
    }

    /** CRC-32C of the length field and the body of the record at {@code offset}. */
    private static int crc(byte[] bytes, int offset, int bodyLength) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset + 4, 4);
        crc.update(bytes, offset + HEADER_BYTES, bodyLength);
        return (int) crc.getValue();
    }
}
