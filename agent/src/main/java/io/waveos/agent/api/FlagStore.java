package io.waveos.agent.api;

import io.waveos.agent.platform.Storage;
import io.waveos.bundles.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Feature flags, in three layers, each over the one before: the values of {@code agent.yaml}, the
 * flags of the signed config bundle ({@link #fromBundle}), the runtime overrides. Overrides are
 * written to {@code flags.json} (atomically) so they survive a restart, and every change rewrites
 * {@code flags.env} ({@code WAVEOS_FLAG_NAME=value} lines) for services to read. Only known flags
 * (configured or from the bundle) can be overridden; a saved override of a flag no longer known is
 * kept but not in force. Thread-safe.
 */
public final class FlagStore {
    private final Map<String, String> fromConfig;
    private Map<String, String> configured;
    private final Storage storage;
    private final Path dir;
    private final Map<String, String> overrides = new TreeMap<>();

    /**
     * Loads the overrides saved by a previous run.
     *
     * @throws IOException when the saved overrides cannot be read or are not valid JSON
     */
    public FlagStore(Map<String, String> configured, Storage storage, Path dir) throws IOException {
        this.fromConfig = new TreeMap<>(configured);
        this.configured = new TreeMap<>(configured);
        this.storage = storage;
        this.dir = dir;
        var saved = storage.read(dir.resolve("flags.json"));
        if (saved.isPresent()) {
            try {
                if (Json.parse(saved.get()) instanceof Map<?, ?> m && m.get("overrides") instanceof Map<?, ?> o) {
                    o.forEach((k, v) -> {
                        if (v instanceof String s) {
                            overrides.put(String.valueOf(k), s);
                        }
                    });
                }
            } catch (Json.ParseException e) {
                throw new IOException(dir.resolve("flags.json") + " is not valid JSON: " + e.getMessage(), e);
            }
        }
        storage.createDirectories(dir);
        writeEnv();
    }

    /**
     * Puts the flags of a config bundle between {@code agent.yaml}'s values and the overrides (replacing the
     * previous bundle's flags) and rewrites {@code flags.env}.
     *
     * @return the flags in force now
     */
    public synchronized Map<String, String> fromBundle(Map<String, String> flags) throws IOException {
        Map<String, String> next = new TreeMap<>(fromConfig);
        next.putAll(flags);
        configured = next;
        writeEnv();
        return effective();
    }

    /** The flags in force, by name. */
    public synchronized Map<String, String> effective() {
        Map<String, String> out = new TreeMap<>(configured);
        out.putAll(overrides());
        return out;
    }

    /** The overrides in force (of known flags), by name. */
    public synchronized Map<String, String> overrides() {
        Map<String, String> out = new TreeMap<>(overrides);
        out.keySet().retainAll(configured.keySet());
        return out;
    }

    /** A strong ETag of the flags in force. */
    public synchronized String etag() {
        byte[] json = Json.write(new LinkedHashMap<>(effective())).getBytes(StandardCharsets.UTF_8);
        return "\"" + HexFormat.of().formatHex(RequestSigning.sha256().digest(json)).substring(0, 32) + "\"";
    }

    /**
     * Applies overrides (all or none) and saves them.
     *
     * @param ifMatch the ETag the caller saw, or empty to apply unconditionally
     * @throws ApiFailure 400 for an unknown flag, 412 when {@code ifMatch} is stale
     */
    public synchronized Map<String, String> override(Map<String, String> changes, java.util.Optional<String> ifMatch)
            throws ApiFailure, IOException {
        if (ifMatch.isPresent() && !ifMatch.get().equals(etag())) {
            throw new ApiFailure(ApiError.PRECONDITION_FAILED, "If-Match " + ifMatch.get() + " is not the current ETag "
                    + etag());
        }
        for (String k : changes.keySet()) {
            if (!configured.containsKey(k)) {
                throw new ApiFailure(ApiError.MALFORMED, "unknown flag '" + k + "'; known: "
                        + String.join(", ", configured.keySet()));
            }
        }
        overrides.putAll(changes);
        storage.writeAtomically(dir.resolve("flags.json"),
                Json.write(Map.of("overrides", new LinkedHashMap<>(overrides))).getBytes(StandardCharsets.UTF_8));
        writeEnv();
        return effective();
    }

    private void writeEnv() throws IOException {
        StringBuilder b = new StringBuilder("# written by the waveos agent: feature flags in force\n");
        effective().forEach((k, v) -> b.append("WAVEOS_FLAG_").append(k.toUpperCase(Locale.ROOT)).append('=')
                .append(v.replaceAll("[\\r\\n]", " ")).append('\n'));
        storage.writeAtomically(dir.resolve("flags.env"), b.toString().getBytes(StandardCharsets.UTF_8));
    }
}
