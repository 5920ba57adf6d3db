package io.waveos.hil.virtual;

import io.waveos.companion.guardian.StateFolder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The tier-1 Guardian's flash: files in memory, every write durable at once. */
final class InMemoryStateFolder implements StateFolder {
    private final Map<String, ByteArrayOutputStream> files = new HashMap<>();

    @Override
    public Optional<byte[]> read(String name) {
        return Optional.ofNullable(files.get(StateFolder.checkName(name))).map(ByteArrayOutputStream::toByteArray);
    }

    @Override
    public void writeAtomically(String name, byte[] data) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(data);
        files.put(StateFolder.checkName(name), b);
    }

    @Override
    public void append(String name, byte[] data) {
        files.computeIfAbsent(StateFolder.checkName(name), k -> new ByteArrayOutputStream()).writeBytes(data);
    }

    @Override
    public void sync(String name) {
        StateFolder.checkName(name);
    }

    @Override
    public long size(String name) {
        return Optional.ofNullable(files.get(StateFolder.checkName(name))).map(ByteArrayOutputStream::size).orElse(0);
    }

    @Override
    public void rename(String from, String to) throws IOException {
        ByteArrayOutputStream b = files.remove(StateFolder.checkName(from));
        if (b == null) {
            throw new IOException("no such file: " + from);
        }
        files.put(StateFolder.checkName(to), b);
    }
}
