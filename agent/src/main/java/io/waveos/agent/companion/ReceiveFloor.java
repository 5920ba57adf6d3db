package io.waveos.agent.companion;

import io.waveos.agent.platform.Storage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The highest counter accepted from the Guardian, kept across agent restarts (spec section 7.3: a
 * receiver persists it before acting on a command, so a recorded order cannot be replayed to a freshly
 * restarted agent). One decimal number in a file replaced atomically with fsync.
 */
public final class ReceiveFloor {
    private final Storage storage;
    private final Path file;

    public ReceiveFloor(Storage storage, Path file) {
        this.storage = storage;
        this.file = file;
    }

    /**
     * The saved floor; 0 when none was saved.
     *
     * @throws IOException when the file exists but is not a counter: a damaged floor must not silently
     *     reopen the replay window, so the link refuses to start and says why
     */
    public long load() throws IOException {
        Optional<byte[]> bytes = storage.read(file);
        if (bytes.isEmpty()) {
            return 0;
        }
        String text = new String(bytes.get(), StandardCharsets.US_ASCII).trim();
        try {
            long value = Long.parseUnsignedLong(text);
            return value;
        } catch (NumberFormatException e) {
            throw new IOException(file + ": not a counter ('" + (text.length() > 30 ? text.substring(0, 30) : text)
                    + "'); delete it only after re-keying the link (docs/guardian.md, rotating the link key)", e);
        }
    }

    /** Saves {@code counter} durably before the caller acts on the message that carried it. */
    public void save(long counter) throws IOException {
        storage.writeAtomically(file, (Long.toUnsignedString(counter) + "\n").getBytes(StandardCharsets.US_ASCII));
    }
}
