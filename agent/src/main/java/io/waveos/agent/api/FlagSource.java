package io.waveos.agent.api;

import io.waveos.agent.config.ApiConfig;
import io.waveos.agent.platform.Storage;
import io.waveos.agent.update.ActiveSlots;
import io.waveos.bundles.json.Json;
import java.util.Map;
import java.util.TreeMap;

/**
 * Flags carried by a signed config bundle: the flags file in the active slot of the configured
 * component ({@code api.flags_bundle}). The file is a JSON object of flag name to a string, number
 * or boolean. Reads through the {@link Storage} port; the slot was verified when it was installed.
 */
public final class FlagSource {
    /** What loading found. */
    public sealed interface Result {
    }

    /** Valid flags from {@code source}. */
    public record Found(String source, Map<String, String> flags) implements Result {
        public Found {
            flags = Map.copyOf(flags);
        }
    }

    /** The flags file at {@code source} is unreadable or invalid; {@code why} says what was wrong. */
    public record Refused(String source, String why) implements Result {
    }

    /** The component has no active slot, or its slot holds no flags file. */
    public record Absent(String why) implements Result {
    }

    private final ApiConfig.BundleFile config;
    private final Storage storage;
    private final ActiveSlots slots;

    public FlagSource(ApiConfig.BundleFile config, Storage storage, ActiveSlots slots) {
        this.config = config;
        this.storage = storage;
        this.slots = slots;
    }

    /** The configured component. */
    public String component() {
        return config.component();
    }

    /** Reads the flags of the component's active slot now. */
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
            return new Refused(f.source(), "not valid JSON: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            return new Refused(f.source(), e.getMessage());
        }
    }

    /**
     * The flags of a flags file, values as text.
     *
     * @throws IllegalArgumentException naming the first flag that is not {@code [a-z][a-z0-9_]{0,63}} or whose
     *     value is not a string, number or boolean
     */
    static Map<String, String> parse(byte[] json) throws Json.ParseException {
        if (!(Json.parse(json) instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("expected a JSON object of flag name to value");
        }
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String name = String.valueOf(e.getKey());
            if (!name.matches("[a-z][a-z0-9_]{0,63}")) {
                throw new IllegalArgumentException("flag name '" + name + "' must match [a-z][a-z0-9_]{0,63}");
            }
            Object v = e.getValue();
            if (!(v instanceof String || v instanceof Long || v instanceof Double || v instanceof Boolean)) {
                throw new IllegalArgumentException("flag " + name + ": expected a string, number or boolean");
            }
            out.put(name, String.valueOf(v));
        }
        return out;
    }
}
