package io.waveos.bundles.json;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A read-only view of one parsed JSON object that knows its path ({@code manifest.files[3]}), so that
 * every refusal names the exact field and what was expected. Strict: {@link #onlyKeys} rejects any key
 * not in the documented set, typed getters reject other JSON types. Immutable; safe from any thread.
 */
public final class JsonFields {

    private final String path;
    private final Map<String, Object> map;

    /** A field was missing, of the wrong type or broke a rule; {@link #path()} names it. */
    public static final class Violation extends Exception {
        private static final long serialVersionUID = 1L;
        private final String path;
        private final String expected;

        public Violation(String path, String expected) {
            super(path + ": " + expected);
            this.path = path;
            this.expected = expected;
        }

        /** The JSON path of the field, for example {@code manifest.files[3].sha256}. */
        public String path() {
            return path;
        }

        /** What was expected, in words. */
        public String expected() {
            return expected;
        }
    }

    private JsonFields(String path, Map<String, Object> map) {
        this.path = path;
        this.map = map;
    }

    /** A view of {@code value}, which must be an object, at {@code path}. */
    public static JsonFields of(String path, Object value) throws Violation {
        if (!(value instanceof Map)) {
            throw new Violation(path, "a JSON object, found " + Json.typeName(value));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) value;
        return new JsonFields(path, m);
    }

    /** This object's path. */
    public String path() {
        return path;
    }

    /** The path of one of this object's fields. */
    public String pathOf(String key) {
        return path + "." + key;
    }

    /** Refuses the first key (in document order) that is not in {@code allowed}. */
    public JsonFields onlyKeys(Set<String> allowed) throws Violation {
        for (String key : map.keySet()) {
            if (!allowed.contains(key)) {
                throw new Violation(pathOf(key), "no such field (allowed: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
        return this;
    }

    public boolean has(String key) {
        return map.containsKey(key);
    }

    /** The raw value of a required field. */
    public Object value(String key) throws Violation {
        Object v = map.get(key);
        if (v == null) {
            throw new Violation(pathOf(key), "a required field");
        }
        return v;
    }

    public String string(String key) throws Violation {
        Object v = value(key);
        if (!(v instanceof String)) {
            throw new Violation(pathOf(key), "a string, found " + Json.typeName(v));
        }
        return (String) v;
    }

    /** An integer field within {@code [min, max]}. */
    public long integer(String key, long min, long max) throws Violation {
        Object v = value(key);
        if (!(v instanceof Long)) {
            throw new Violation(pathOf(key), "an integer, found " + Json.typeName(v));
        }
        long n = (Long) v;
        if (n < min || n > max) {
            throw new Violation(pathOf(key), "an integer from " + min + " to " + max + ", found " + n);
        }
        return n;
    }

    public JsonFields object(String key) throws Violation {
        return of(pathOf(key), value(key));
    }

    /** An optional object field; absent is empty, JSON {@code null} is refused. */
    public Optional<JsonFields> optionalObject(String key) throws Violation {
        return has(key) ? Optional.of(object(key)) : Optional.empty();
    }

    /** An array field with at most {@code maxItems} items. */
    public List<Object> array(String key, int maxItems) throws Violation {
        Object v = value(key);
        if (!(v instanceof List)) {
            throw new Violation(pathOf(key), "an array, found " + Json.typeName(v));
        }
        List<?> list = (List<?>) v;
        if (list.size() > maxItems) {
            throw new Violation(pathOf(key), "at most " + maxItems + " items, found " + list.size());
        }
        return new ArrayList<>(list);
    }

    /** An array of strings with at most {@code maxItems} items. */
    public List<String> strings(String key, int maxItems) throws Violation {
        List<Object> items = array(key, maxItems);
        List<String> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            if (!(items.get(i) instanceof String)) {
                throw new Violation(pathOf(key) + "[" + i + "]", "a string, found " + Json.typeName(items.get(i)));
            }
            out.add((String) items.get(i));
        }
        return List.copyOf(out);
    }

    /** The object's entries, in document order, unmodifiable. */
    public Map<String, Object> asMap() {
        return map;
    }
}
