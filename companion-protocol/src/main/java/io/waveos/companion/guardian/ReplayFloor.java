package io.waveos.companion.guardian;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * The highest frame counter accepted from the device, kept durably (spec section 7.3) in
 * {@value #FILE}: after a restart the Guardian accepts only counters above it, so no replayed frame
 * can make it act on a command twice. Written before acting on a delivered CommandRequest, at every
 * session start, and on ticks when it moved and {@link #PERIOD_NANOS} has passed.
 *
 * <p>Format: counter (LE u64) | CRC-32 (LE) of it. Not thread-safe: owned by the Guardian's loop.
 */
public final class ReplayFloor {
    static final String FILE = "receive-counter.bin";
    static final long PERIOD_NANOS = 5L * 60 * 1_000_000_000L;

    private final StateFolder folder;
    private long saved;
    private long savedAtNanos;

    private ReplayFloor(StateFolder folder, long saved) {
        this.folder = folder;
        this.saved = saved;
    }

    /**
     * Reads the stored floor; 0 when none was stored.
     *
     * @throws IOException naming the file when it is unreadable or corrupt: accepting counters from 0
     *     again would reopen the replay window, so the Guardian must not start with a guess
     */
    public static ReplayFloor load(StateFolder folder) throws IOException {
        Optional<byte[]> bytes = folder.read(FILE);
        if (bytes.isEmpty()) {
            return new ReplayFloor(folder, 0);
        }
        byte[] b = bytes.get();
        if (b.length != 12) {
            throw new IOException(FILE + ": expected 12 bytes, found " + b.length);
        }
        ByteBuffer in = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        CRC32 crc = new CRC32();
        crc.update(b, 0, 8);
        if ((int) crc.getValue() != in.getInt(8)) {
            throw new IOException(FILE + ": CRC mismatch; if the link was re-keyed, delete it");
        }
        return new ReplayFloor(folder, in.getLong(0));
    }

    /** The counter the decoder must resume above (unsigned). */
    public long value() {
        return saved;
    }

    /** Durably records {@code counter} if it is above what is stored. */
    public void save(long counter, long nowNanos) throws IOException {
        if (Long.compareUnsigned(counter, saved) <= 0) {
            return;
        }
        ByteBuffer out = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(counter);
        CRC32 crc = new CRC32();
        crc.update(out.array(), 0, 8);
        out.putInt((int) crc.getValue());
        folder.writeAtomically(FILE, out.array());
        saved = counter;
        savedAtNanos = nowNanos;
    }

    /** Saves {@code counter} when it moved and the period has passed since the last save. */
    public void saveIfDue(long counter, long nowNanos) throws IOException {
        if (nowNanos - savedAtNanos >= PERIOD_NANOS) {
            save(counter, nowNanos);
            savedAtNanos = nowNanos;
        }
    }
}
