package io.waveos.agent.api;

import io.waveos.agent.platform.Storage;
import io.waveos.agent.platform.WallClock;
import io.waveos.bundles.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every authentication decision, one JSON object a line ({@code api-audit.jsonl}): time, peer, key id
 * (never a secret or a signature), method, path, decision and code, status. Lines are fsynced in
 * batches: after {@value #SYNC_EVERY} lines or when {@value #SYNC_MILLIS} ms passed since the last
 * fsync, and at close. Past {@code maxBytes} the file is renamed to {@code .1} (replacing the older one)
 * and a new file begins, so the log takes at most twice {@code maxBytes}. Thread-safe.
 */
public final class AuditLog implements AutoCloseable {
    static final int SYNC_EVERY = 64;
    static final long SYNC_MILLIS = 1000;
    static final int MAX_FIELD = 256;

    private final Storage storage;
    private final Path file;
    private final long maxBytes;
    private final WallClock wall;
    private Storage.AppendFile out;
    private int unsynced;
    private long lastSyncMillis;
    private long failures;

    public AuditLog(Storage storage, Path file, long maxBytes, WallClock wall) throws IOException {
        this.storage = storage;
        this.file = file;
        this.maxBytes = maxBytes;
        this.wall = wall;
        storage.createDirectories(file.getParent());
        this.out = storage.openAppend(file);
    }

    /** One decision. {@code keyId} is as the caller claimed it (shortened), or "-" when absent. */
    public synchronized void record(String peer, String keyId, String method, String path, String decision,
            String code, int status) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("ts", wall.now().toString());
        line.put("peer", clip(peer));
        line.put("key_id", clip(keyId));
        line.put("method", clip(method));
        line.put("path", clip(path));
        line.put("decision", decision);
        line.put("code", code);
        line.put("status", (long) status);
        try {
            if (out.size() >= maxBytes) {
                rotate();
            }
            out.append((Json.write(line) + "\n").getBytes(StandardCharsets.UTF_8));
            unsynced++;
            long now = wall.now().toEpochMilli();
            if (unsynced >= SYNC_EVERY || now - lastSyncMillis >= SYNC_MILLIS) {
                out.sync();
                unsynced = 0;
                lastSyncMillis = now;
            }
        } catch (IOException e) {
            failures++;
            System.err.println("waveos: cannot write the API audit log " + file + ": " + e.getMessage());
        }
    }

    private static String clip(String s) {
        return s.length() > MAX_FIELD ? s.substring(0, MAX_FIELD) + "..." : s;
    }

    private void rotate() throws IOException {
        out.sync();
        out.close();
        storage.rename(file, file.resolveSibling(file.getFileName() + ".1"));
        out = storage.openAppend(file);
    }

    /** Lines that could not be written. */
    public synchronized long failures() {
        return failures;
    }

    @Override
    public synchronized void close() throws IOException {
        out.sync();
        out.close();
    }
}
