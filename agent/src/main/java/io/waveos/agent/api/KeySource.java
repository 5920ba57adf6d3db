package io.waveos.agent.api;

import io.waveos.agent.config.ApiConfig;
import io.waveos.agent.config.ApiRole;
import io.waveos.agent.platform.Storage;
import io.waveos.agent.update.ActiveSlots;
import io.waveos.bundles.json.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * API keys carried by a signed certs bundle: the keys file in the active slot of the configured
 * component ({@code api.keys_bundle}), {@code {"keys": [{"id", "secret", "role"}, ...]}} with the
 * rules of {@code api.keys}. Reads through the {@link Storage} port. No message it makes contains
 * a secret.
 */
public final class KeySource {
    /** What loading found. */
    public sealed interface Result {
    }

    /** Valid keys from {@code source}. */
    public record Found(String source, List<ApiConfig.Key> keys) implements Result {
        public Found {
            keys = List.copyOf(keys);
        }
    }

    /** The keys file at {@code source} is unreadable or invalid; {@code why} says what was wrong. */
    public record Refused(String source, String why) implements Result {
    }

    /** The component has no active slot, or its slot holds no keys file. */
    public record Absent(String why) implements Result {
    }

    private final ApiConfig.BundleFile config;
    private final Set<String> configuredIds;
    private final Storage storage;
    private final ActiveSlots slots;

    /** @param configuredIds the ids of {@code api.keys}: a bundle key may not reuse one */
    public KeySource(ApiConfig.BundleFile config, Set<String> configuredIds, Storage storage,
            ActiveSlots slots) {
        this.config = config;
        this.configuredIds = Set.copyOf(configuredIds);
        this.storage = storage;
        this.slots = slots;
    }

    /** The configured component. */
    public String component() {
        return config.component();
    }

    /** Reads the keys of the component's active slot now. */
    public Result load() {
        ActiveSlots.FileRead read = slots.read(config.component(), config.file(), storage);
        if (read instanceof ActiveSlots.Missing m) {
            return new Absent(m.why());
        }
        if (read instanceof ActiveSlots.Unreadable u) {
            return new Refused(u.source(), u.why());
        }
        ActiveSlots.Found f = (ActiveSlots.Found) read;
        try {
            return new Found(f.source(), parse(f.bytes()));
        } catch (Json.ParseException e) {
            // The parser's message may quote the text near the error: a secret. Only the offset is told.
            return new Refused(f.source(), "not valid JSON at offset " + e.offset());
        } catch (IllegalArgumentException e) {
            return new Refused(f.source(), e.getMessage());
        }
    }

    private List<ApiConfig.Key> parse(byte[] json) throws Json.ParseException {
        if (!(Json.parse(json) instanceof Map<?, ?> m) || !(m.get("keys") instanceof List<?> list)) {
            throw new IllegalArgumentException("expected {\"keys\": [{\"id\", \"secret\", \"role\"}, ...]}");
        }
        List<ApiConfig.Key> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> k) || !(k.get("id") instanceof String id)
                    || !(k.get("secret") instanceof String secret) || !(k.get("role") instanceof String role)) {
                throw new IllegalArgumentException("keys[" + i + "]: expected {\"id\", \"secret\", \"role\"} strings");
            }
            ApiRole r;
            try {
                r = ApiRole.valueOf(role.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("keys[" + i + "].role: expected viewer, operator or admin", e);
            }
            ApiConfig.Key key;
            try {
                key = new ApiConfig.Key(id, secret, r);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("keys[" + i + "]: " + e.getMessage(), e);
            }
            if (configuredIds.contains(id) || !ids.add(id)) {
                throw new IllegalArgumentException("keys[" + i + "].id: duplicate key id " + id
                        + (configuredIds.contains(id) ? " (already in api.keys)" : ""));
            }
            out.add(key);
        }
        return out;
    }
}
