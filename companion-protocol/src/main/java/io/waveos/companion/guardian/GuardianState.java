package io.waveos.companion.guardian;

import com.google.protobuf.InvalidProtocolBufferException;
import io.waveos.companion.proto.ResetWitness;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * What the Guardian keeps across its own restarts: its boot counter and the reset witnesses it has not
 * reported to the device yet. Stored in {@value #FILE} of the {@link StateFolder}, replaced atomically:
 *
 * <pre>
 * "WGS1" | boot counter (LE u64) | count (LE u32) | count x (length (LE u32) | ResetWitness) | CRC-32 (LE)
 * </pre>
 *
 * @param bootCounter the number of the Guardian run that saved it
 * @param pendingWitnesses oldest first, at most {@value #MAX_PENDING_WITNESSES}
 */
public record GuardianState(long bootCounter, List<ResetWitness> pendingWitnesses) {
    public static final String FILE = "guardian-state.bin";
    public static final String CORRUPT_FILE = "guardian-state.corrupt";
    public static final int MAX_PENDING_WITNESSES = 8;
    private static final byte[] MAGIC = "WGS1".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_WITNESS_BYTES = 4096;

    public GuardianState {
        if (bootCounter < 0) {
            throw new IllegalArgumentException("boot counter must be >= 0, was " + bootCounter);
        }
        pendingWitnesses = List.copyOf(pendingWitnesses);
        if (pendingWitnesses.size() > MAX_PENDING_WITNESSES) {
            throw new IllegalArgumentException("at most " + MAX_PENDING_WITNESSES + " pending witnesses, got "
                    + pendingWitnesses.size());
        }
    }

    /** The state of a Guardian that never ran. */
    public static final GuardianState FRESH = new GuardianState(0, List.of());

    /** {@code pending} plus {@code witness}, dropping the oldest beyond the maximum. */
    public static List<ResetWitness> append(List<ResetWitness> pending, ResetWitness witness) {
        List<ResetWitness> next = new ArrayList<>(pending);
        next.add(witness);
        while (next.size() > MAX_PENDING_WITNESSES) {
            next.remove(0);
        }
        return List.copyOf(next);
    }

    /**
     * Reads the state; {@link #FRESH} when there is none.
     *
     * @throws IOException naming the file when it cannot be read or is corrupt
     */
    public static GuardianState load(StateFolder folder) throws IOException {
        Optional<byte[]> bytes = folder.read(FILE);
        if (bytes.isEmpty()) {
            return FRESH;
        }
        try {
            return decode(bytes.get());
        } catch (IllegalArgumentException e) {
            throw new IOException(FILE + ": " + e.getMessage(), e);
        }
    }

    /** Replaces the stored state with this one; durable on return. */
    public void save(StateFolder folder) throws IOException {
        folder.writeAtomically(FILE, encode());
    }

    byte[] encode() {
        List<byte[]> witnesses = new ArrayList<>();
        int size = MAGIC.length + 8 + 4 + 4;
        for (ResetWitness witness : pendingWitnesses) {
            byte[] bytes = witness.toByteArray();
            witnesses.add(bytes);
            size += 4 + bytes.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).putLong(bootCounter).putInt(witnesses.size());
        for (byte[] bytes : witnesses) {
            out.putInt(bytes.length).put(bytes);
        }
        CRC32 crc = new CRC32();
        crc.update(out.array(), 0, out.position());
        out.putInt((int) crc.getValue());
        return out.array();
    }

    static GuardianState decode(byte[] bytes) {
        if (bytes.length < MAGIC.length + 8 + 4 + 4) {
            throw new IllegalArgumentException("too short (" + bytes.length + " bytes)");
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 4);
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if ((int) crc.getValue() != in.getInt(bytes.length - 4)) {
            throw new IllegalArgumentException("CRC mismatch");
        }
        byte[] magic = new byte[MAGIC.length];
        in.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IllegalArgumentException("not a Guardian state file (bad magic)");
        }
        try {
            long bootCounter = in.getLong();
            int count = in.getInt();
            if (count < 0 || count > MAX_PENDING_WITNESSES) {
                throw new IllegalArgumentException("bad witness count " + count);
            }
            List<ResetWitness> witnesses = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int length = in.getInt();
                if (length < 0 || length > MAX_WITNESS_BYTES || length > in.remaining() - 4) {
                    throw new IllegalArgumentException("bad witness length " + length);
                }
                byte[] witness = new byte[length];
                in.get(witness);
                witnesses.add(ResetWitness.parseFrom(witness));
            }
            if (in.remaining() != 4) {
                throw new IllegalArgumentException(in.remaining() - 4 + " unexpected trailing bytes");
            }
            return new GuardianState(bootCounter, witnesses);
        } catch (BufferUnderflowException | InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("truncated or malformed: " + e.getMessage(), e);
        }
    }
}
