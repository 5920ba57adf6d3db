package io.waveos.companion.guardian;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An in-memory {@link StateFolder} that can lose power: {@link #powerCut} keeps what was written
 * atomically or synced and drops every unsynced append.
 */
final class FakeStateFolder implements StateFolder {
    private final Map<String, byte[]> durable = new HashMap<>();
    private final Map<String, ByteArrayOutputStream> current = new HashMap<>();
    private int syncs;

    @Override
    public Optional<byte[]> read(String name) {
        ByteArrayOutputStream bytes = current.get(StateFolder.checkName(name));
        return bytes == null ? Optional.empty() : Optional.of(bytes.toByteArray());
    }

    @Override
    public void writeAtomically(String name, byte[] data) {
        StateFolder.checkName(name);
        durable.put(name, data.clone());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(data);
        current.put(name, bytes);
    }

    @Override
    public void append(String name, byte[] data) {
        current.computeIfAbsent(StateFolder.checkName(name), n -> new ByteArrayOutputStream()).writeBytes(data);
    }

    @Override
    public void sync(String name) {
        ByteArrayOutputStream bytes = current.get(StateFolder.checkName(name));
        if (bytes != null) {
            durable.put(name, bytes.toByteArray());
        }
        syncs++;
    }

    @Override
    public long size(String name) {
        ByteArrayOutputStream bytes = current.get(StateFolder.checkName(name));
        return bytes == null ? 0 : bytes.size();
    }

    @Override
    public void rename(String from, String to) throws IOException {
        ByteArrayOutputStream bytes = current.remove(StateFolder.checkName(from));
        if (bytes == null) {
            throw new IOException("no such file " + from);
        }
        current.put(StateFolder.checkName(to), bytes);
        durable.put(to, bytes.toByteArray());
        durable.remove(from);
    }

    /** Everything not synced is lost, as after a power cut. */
    void powerCut() {
        current.clear();
        for (Map.Entry<String, byte[]> entry : durable.entrySet()) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            bytes.writeBytes(entry.getValue());
            current.put(entry.getKey(), bytes);
        }
    }

    /** The file as text, empty when missing. */
    String text(String name) {
        return read(name).map(b -> new String(b, StandardCharsets.UTF_8)).orElse("");
    }

    int syncs() {
        return syncs;
    }
}
