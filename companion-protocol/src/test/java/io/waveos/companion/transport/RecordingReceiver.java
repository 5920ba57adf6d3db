package io.waveos.companion.transport;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** Records what a transport delivers, in order; safe to read from the test thread. */
final class RecordingReceiver implements ByteTransport.Receiver {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final List<byte[]> chunks = new ArrayList<>();
    private final List<String> closes = new ArrayList<>();
    private final List<String> events = new ArrayList<>();

    @Override
    public synchronized void onBytes(byte[] buf, int off, int len) {
        bytes.write(buf, off, len);
        byte[] chunk = new byte[len];
        System.arraycopy(buf, off, chunk, 0, len);
        chunks.add(chunk);
        events.add("bytes " + len);
    }

    @Override
    public synchronized void onClosed(String reason) {
        closes.add(reason);
        events.add("closed: " + reason);
    }

    synchronized byte[] bytes() {
        return bytes.toByteArray();
    }

    synchronized int size() {
        return bytes.size();
    }

    synchronized List<byte[]> chunks() {
        return List.copyOf(chunks);
    }

    synchronized List<String> closes() {
        return List.copyOf(closes);
    }

    /** "bytes N" and "closed: reason" in the order they happened. */
    synchronized List<String> events() {
        return List.copyOf(events);
    }
}
