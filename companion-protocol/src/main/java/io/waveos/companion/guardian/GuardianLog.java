package io.waveos.companion.guardian;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Guardian's own log: one JSON object per line in {@value #FILE} of its {@link StateFolder}, e.g.
 *
 * <pre>{@code {"wall":"2025-06-01T10:00:00.123Z","boot":4,"mono_ms":81234,"code":"COMMAND_DENIED",
 * "reason":"DECISION_REASON_KNOWN_BAD_PATTERN","rule":"deny-pattern:bad-bundle","text":"...",
 * "request_id":"r-17","kind":"INSTALL"}}</pre>
 *
 * (on one line). Durable records (decisions, resets, orders) are fsynced before {@link #write}
 * returns; the others reach the disk with the next durable one or by the operating system. When the file
 * passes {@code maxBytes} it is renamed to {@value #PREVIOUS_FILE} (replacing the older one), so the log
 * holds at most about twice that.
 *
 * <p>Not thread-safe: owned by the Guardian's loop.
 */
public final class GuardianLog {
    public static final String FILE = "guardian-log.jsonl";
    public static final String PREVIOUS_FILE = "guardian-log.1.jsonl";

    private final StateFolder folder;
    private final WallClock wallClock;
    private final long bootCounter;
    private final long maxBytes;

    public GuardianLog(StateFolder folder, WallClock wallClock, long bootCounter, long maxBytes) {
        if (maxBytes < 4096) {
            throw new IllegalArgumentException("log max bytes must be at least 4096, was " + maxBytes);
        }
        this.folder = folder;
        this.wallClock = wallClock;
        this.bootCounter = bootCounter;
        this.maxBytes = maxBytes;
    }

    /** Appends {@code event}; fsyncs when it is durable. */
    public void write(GuardianEvent event) throws IOException {
        if (folder.size(FILE) >= maxBytes) {
            folder.sync(FILE);
            folder.rename(FILE, PREVIOUS_FILE);
        }
        folder.append(FILE, line(event));
        if (event.durable()) {
            folder.sync(FILE);
        }
    }

    /** The JSON line for {@code event}, newline included. */
    byte[] line(GuardianEvent event) {
        StringBuilder out = new StringBuilder(256);
        out.append('{');
        field(out, "wall", Instant.ofEpochMilli(wallClock.epochMillis()).toString());
        out.append(",\"boot\":").append(bootCounter);
        out.append(",\"mono_ms\":").append(event.monotonicMs());
        out.append(',');
        field(out, "code", event.code().name());
        if (!event.reason().isEmpty()) {
            out.append(',');
            field(out, "reason", event.reason());
        }
        if (!event.rule().isEmpty()) {
            out.append(',');
            field(out, "rule", event.rule());
        }
        out.append(',');
        field(out, "text", event.text());
        for (Map.Entry<String, String> detail : new TreeMap<>(event.details()).entrySet()) {
            out.append(',');
            field(out, detail.getKey(), detail.getValue());
        }
        out.append("}\n");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void field(StringBuilder out, String key, String value) {
        string(out, key);
        out.append(':');
        string(out, value);
    }

    private static void string(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
