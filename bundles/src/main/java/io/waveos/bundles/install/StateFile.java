package io.waveos.bundles.install;

import io.waveos.bundles.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The JSON forms of {@code state.json} and {@code floors.json} (documented in {@code docs/updates.md}).
 * A file that does not parse is an {@link IOException} naming the file and the field: it was written
 * atomically, so damage means something other than a power cut and must not be guessed around.
 */
final class StateFile {

    static final List<String> SLOTS = List.of("a", "b");

    private StateFile() {
    }

    static byte[] write(ComponentState s) {
        Map<String, Object> slots = new LinkedHashMap<>();
        s.slots().forEach((name, r) -> {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("mark", r.mark().wireName());
            o.put("version", r.version());
            o.put("bundle_id", r.bundleId());
            o.put("version_name", r.versionName());
            slots.put(name, o);
        });
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("active", s.active().<Object>map(a -> a).orElse(Json.Null.NULL));
        doc.put("slots", slots);
        doc.put("journal", s.journal().<Object>map(StateFile::journal).orElse(Json.Null.NULL));
        return (Json.write(doc) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, Object> journal(Journal j) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("bundle_id", j.bundleId());
        o.put("version", j.version());
        o.put("target", j.target());
        o.put("previous", j.previous().<Object>map(p -> p).orElse(Json.Null.NULL));
        o.put("step", j.step().name());
        o.put("trial_interruptions", j.trialInterruptions());
        o.put("reason", j.reason().<Object>map(r -> {
            Map<String, Object> reason = new LinkedHashMap<>();
            reason.put("criterion", r.criterion().code());
            reason.put("data", new LinkedHashMap<String, Object>(r.data()));
            return reason;
        }).orElse(Json.Null.NULL));
        return o;
    }

    static ComponentState parse(byte[] bytes, Path file) throws IOException {
        Fields doc = new Fields(parseObject(bytes, file), file, "");
        Map<String, SlotRecord> slots = new TreeMap<>();
        Map<String, Object> rawSlots = doc.object("slots");
        for (String name : rawSlots.keySet()) {
            if (!SLOTS.contains(name)) {
                throw new IOException(file + ": slots." + name + ": not a slot name (a or b)");
            }
            Fields f = doc.nested("slots", name);
            Mark mark = Mark.fromWire(f.string("mark"))
                    .orElseThrow(() -> new IOException(file + ": slots." + name + ".mark: unknown"));
            slots.put(name, new SlotRecord(mark, f.integer("version"), f.string("bundle_id"),
                    f.string("version_name")));
        }
        Optional<String> active = doc.optionalString("active");
        if (active.isPresent() && !slots.containsKey(active.get())) {
            throw new IOException(file + ": active: names a slot without a record");
        }
        Optional<Journal> journal = doc.isNull("journal") ? Optional.empty()
                : Optional.of(journal(doc.nested("journal"), file));
        return new ComponentState(active, slots, journal);
    }

    private static Journal journal(Fields j, Path file) throws IOException {
        Step step;
        try {
            step = Step.valueOf(j.string("step"));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": journal.step: unknown", e);
        }
        Optional<RollbackReason> reason = Optional.empty();
        if (!j.isNull("reason")) {
            Fields r = j.nested("reason");
            Criterion c = Criterion.fromCode(r.string("criterion"))
                    .orElseThrow(() -> new IOException(file + ": journal.reason.criterion: unknown"));
            Map<String, String> data = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : r.object("data").entrySet()) {
                data.put(e.getKey(), String.valueOf(e.getValue()));
            }
            reason = Optional.of(new RollbackReason(c, data));
        }
        long interruptions = j.integer("trial_interruptions");
        if (interruptions < 0 || interruptions > Integer.MAX_VALUE) {
            throw new IOException(file + ": journal.trial_interruptions: out of range");
        }
        return new Journal(j.string("bundle_id"), j.integer("version"), j.string("target"),
                j.optionalString("previous"), step, (int) interruptions, reason);
    }

    static byte[] writeFloors(Map<String, Long> floors) {
        return (Json.write(new TreeMap<String, Object>(floors)) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    static Map<String, Long> parseFloors(byte[] bytes, Path file) throws IOException {
        Map<String, Long> floors = new TreeMap<>();
        for (Map.Entry<String, Object> e : parseObject(bytes, file).entrySet()) {
            if (!(e.getValue() instanceof Long v) || v < 0) {
                throw new IOException(file + ": " + e.getKey() + ": expected a non-negative integer");
            }
            floors.put(e.getKey(), v);
        }
        return floors;
    }

    private static Map<String, Object> parseObject(byte[] bytes, Path file) throws IOException {
        try {
            return Json.parseObject(bytes);
        } catch (Json.ParseException e) {
            throw new IOException(file + ": not valid JSON: " + e.getMessage(), e);
        }
    }

    /** Typed access to one JSON object, naming the file and the key path on every failure. */
    private record Fields(Map<String, Object> map, Path file, String prefix) {

        private Object get(String key) throws IOException {
            if (!map.containsKey(key)) {
                throw new IOException(file + ": " + prefix + key + ": missing");
            }
            return map.get(key);
        }

        private IOException wrong(String key, String expected) {
            return new IOException(file + ": " + prefix + key + ": expected " + expected);
        }

        boolean isNull(String key) throws IOException {
            return get(key) == Json.Null.NULL;
        }

        String string(String key) throws IOException {
            if (get(key) instanceof String s) {
                return s;
            }
            throw wrong(key, "a string");
        }

        Optional<String> optionalString(String key) throws IOException {
            return isNull(key) ? Optional.empty() : Optional.of(string(key));
        }

        long integer(String key) throws IOException {
            if (get(key) instanceof Long v) {
                return v;
            }
            throw wrong(key, "an integer");
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> object(String key) throws IOException {
            if (get(key) instanceof Map<?, ?> m) {
                return (Map<String, Object>) m;
            }
            throw wrong(key, "an object");
        }

        Fields nested(String... keys) throws IOException {
            Fields f = this;
            for (String k : keys) {
                f = new Fields(f.object(k), file, f.prefix + k + ".");
            }
            return f;
        }
    }
}
