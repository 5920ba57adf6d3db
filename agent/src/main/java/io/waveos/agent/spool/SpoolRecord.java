package io.waveos.agent.spool;

import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One stored line.
 *
 * @param sequence assigned by the writer, gapless and increasing across segments and restarts
 * @param wallMicros wall time in microseconds since the epoch (for people; it can jump)
 * @param monotonicNanos the agent's monotonic clock (for ordering within one boot)
 * @param service the service name, or {@code agent}; 1..255 bytes of UTF-8
 * @param stream where the line came from
 * @param flags {@link #TRUNCATED} and {@link #PARTIAL} bits
 * @param payload the line's bytes without its newline, exactly as the service wrote them (they may
 *     not be UTF-8)
 */
public record SpoolRecord(long sequence, long wallMicros, long monotonicNanos, String service, Stream stream,
        int flags, byte[] payload) {
    /** The line was longer than the maximum: this record holds a piece and the next one continues it. */
    public static final int TRUNCATED = 1;
    /** The stream ended (or the service exited) before a newline: the line may be incomplete. */
    public static final int PARTIAL = 2;
    /** The service name's limit in UTF-8 bytes (its length is stored in one byte). */
    public static final int MAX_SERVICE_BYTES = 255;

    public SpoolRecord {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(stream, "stream");
        int serviceBytes = service.getBytes(StandardCharsets.UTF_8).length;
        if (serviceBytes < 1 || serviceBytes > MAX_SERVICE_BYTES) {
            throw new IllegalArgumentException("service name must be 1.." + MAX_SERVICE_BYTES + " bytes: " + service);
        }
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence must not be negative: " + sequence);
        }
        if ((flags & ~(TRUNCATED | PARTIAL)) != 0) {
            throw new IllegalArgumentException("unknown flags: " + flags);
        }
        payload = payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    public int payloadLength() {
        return payload.length;
    }

    /** The payload as text; bytes that are not UTF-8 become U+FFFD. */
    public String text() {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(java.nio.ByteBuffer.wrap(payload)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalStateException("a replacing decoder cannot fail", e);
        }
    }

    /** Same record with another sequence number (the writer assigns it). */
    SpoolRecord withSequence(long newSequence) {
        return new SpoolRecord(newSequence, wallMicros, monotonicNanos, service, stream, flags, payload);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpoolRecord r && r.sequence == sequence && r.wallMicros == wallMicros
                && r.monotonicNanos == monotonicNanos && r.service.equals(service) && r.stream == stream
                && r.flags == flags && Arrays.equals(r.payload, payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sequence, service, stream, flags, Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        return "SpoolRecord[" + sequence + " " + service + "/" + stream.wire() + " flags=" + flags + " "
                + payload.length + " bytes]";
    }
}
