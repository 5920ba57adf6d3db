package io.waveos.hil.scenario;

import io.waveos.hil.scenario.YamlTree.Item;
import io.waveos.hil.scenario.YamlTree.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed reads from {@link Item}s that record a problem (file, line, key path, what was expected)
 * instead of throwing; each read returns empty when the value was wrong.
 */
final class Fields {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");
    private static final Pattern SIZE = Pattern.compile("(\\d{1,9})(B|KiB|MiB|GiB)");
    private final String file;
    private final List<ScenarioException.Problem> problems;

    Fields(String file, List<ScenarioException.Problem> problems) {
        this.file = file;
        this.problems = problems;
    }

    void problem(int line, String key, String message) {
        problems.add(new ScenarioException.Problem(file, line, key, message));
    }

    static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** The map at {@code item}, with unknown keys reported (naming the known ones). */
    Optional<Map<String, Item>> map(Item item, String path, List<String> allowed) {
        if (item.kind() != Kind.MAP) {
            problem(item.line(), path, "expected a map, got " + item.describe());
            return Optional.empty();
        }
        for (Map.Entry<String, Item> e : item.map().entrySet()) {
            if (!allowed.contains(e.getKey())) {
                problem(e.getValue().line(), child(path, e.getKey()), "unknown key (known here: "
                        + String.join(", ", allowed) + ")");
            }
        }
        return Optional.of(item.map());
    }

    Optional<Item> required(Map<String, Item> map, int line, String path, String key) {
        Item item = map.get(key);
        if (item == null) {
            problem(line, child(path, key), "missing required key");
            return Optional.empty();
        }
        return Optional.of(item);
    }

    Optional<String> string(Item item, String path) {
        if (item.kind() != Kind.STRING || item.text().isBlank()) {
            problem(item.line(), path, "expected a non-blank string, got " + item.describe());
            return Optional.empty();
        }
        return Optional.of(item.text());
    }

    Optional<String> name(Item item, String path) {
        return string(item, path).filter(s -> {
            boolean ok = s.matches("[a-z0-9][a-z0-9_.-]{0,62}");
            if (!ok) {
                problem(item.line(), path, "expected a name matching [a-z0-9][a-z0-9_.-]{0,62}");
            }
            return ok;
        });
    }

    /** A scalar of any plain kind, as written (for pass-through settings such as Guardian rules). */
    Optional<String> scalar(Item item, String path) {
        if (item.kind() == Kind.MAP || item.kind() == Kind.LIST || item.kind() == Kind.NULL) {
            problem(item.line(), path, "expected a plain value, got " + item.describe());
            return Optional.empty();
        }
        return Optional.of(item.text());
    }

    Optional<Boolean> bool(Item item, String path) {
        if (item.kind() != Kind.BOOL || !(item.text().equals("true") || item.text().equals("false"))) {
            problem(item.line(), path, "expected a bool (true or false), got " + item.describe());
            return Optional.empty();
        }
        return Optional.of(item.text().equals("true"));
    }

    Optional<Integer> integer(Item item, String path, int min, int max) {
        if (item.kind() != Kind.INT || !item.text().matches("-?\\d{1,9}")) {
            problem(item.line(), path, "expected an int, got " + item.describe());
            return Optional.empty();
        }
        int v = Integer.parseInt(item.text());
        if (v < min || v > max) {
            problem(item.line(), path, "expected an int in " + min + ".." + max + ", got " + v);
            return Optional.empty();
        }
        return Optional.of(v);
    }

    Optional<Double> ratio(Item item, String path) {
        if ((item.kind() != Kind.FLOAT && item.kind() != Kind.INT)) {
            problem(item.line(), path, "expected a number in [0, 1], got " + item.describe());
            return Optional.empty();
        }
        double v = Double.parseDouble(item.text());
        if (!(v >= 0 && v <= 1)) {
            problem(item.line(), path, "expected a number in [0, 1], got " + item.text());
            return Optional.empty();
        }
        return Optional.of(v);
    }

    Optional<Duration> duration(Item item, String path) {
        Matcher m = item.kind() == Kind.STRING ? DURATION.matcher(item.text()) : null;
        if (m == null || !m.matches()) {
            problem(item.line(), path, "expected a duration such as 500ms, 10s, 2m or 1h, got "
                    + (item.kind() == Kind.STRING ? "'" + item.text() + "'" : item.describe()));
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        return Optional.of(switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        });
    }

    /** A metric level: a plain number, or a size (bytes). */
    Optional<Double> level(Item item, String path) {
        if (item.kind() == Kind.INT || item.kind() == Kind.FLOAT) {
            return Optional.of(Double.parseDouble(item.text()));
        }
        return size(item, path).map(Long::doubleValue);
    }

    /** A duration that may be negative: {@code -2h}. */
    Optional<Duration> signedDuration(Item item, String path) {
        if (item.kind() == Kind.STRING && item.text().startsWith("-")) {
            Item positive = new Item(item.kind(), item.line(), item.text().substring(1), item.map(), item.list());
            return duration(positive, path).map(Duration::negated);
        }
        return duration(item, path);
    }

    Optional<Long> size(Item item, String path) {
        Matcher m = item.kind() == Kind.STRING ? SIZE.matcher(item.text()) : null;
        if (m == null || !m.matches()) {
            problem(item.line(), path, "expected a size such as 512KiB or 1MiB, got "
                    + (item.kind() == Kind.STRING ? "'" + item.text() + "'" : item.describe()));
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        return Optional.of(switch (m.group(2)) {
            case "B" -> n;
            case "KiB" -> n << 10;
            case "MiB" -> n << 20;
            default -> n << 30;
        });
    }

    Optional<List<Item>> list(Item item, String path) {
        if (item.kind() != Kind.LIST) {
            problem(item.line(), path, "expected a list, got " + item.describe());
            return Optional.empty();
        }
        return Optional.of(item.list());
    }

    Optional<List<String>> names(Item item, String path) {
        Optional<List<Item>> l = list(item, path);
        if (l.isEmpty()) {
            return Optional.empty();
        }
        List<String> out = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < l.get().size(); i++) {
            Optional<String> s = name(l.get().get(i), path + "[" + i + "]");
            ok &= s.isPresent();
            s.ifPresent(out::add);
        }
        return ok ? Optional.of(out) : Optional.empty();
    }

    /** A map of plain values kept as written, for settings passed through to another component. */
    Optional<Map<String, String>> plainMap(Item item, String path) {
        if (item.kind() != Kind.MAP) {
            problem(item.line(), path, "expected a map, got " + item.describe());
            return Optional.empty();
        }
        Map<String, String> out = new LinkedHashMap<>();
        boolean ok = true;
        for (Map.Entry<String, Item> e : item.map().entrySet()) {
            Optional<String> v = scalar(e.getValue(), child(path, e.getKey()));
            ok &= v.isPresent();
            v.ifPresent(s -> out.put(e.getKey(), s));
        }
        return ok ? Optional.of(out) : Optional.empty();
    }

    /** One of {@code words}, as written. */
    Optional<String> word(Item item, String path, List<String> words) {
        Optional<String> s = string(item, path);
        if (s.isPresent() && !words.contains(s.get())) {
            problem(item.line(), path, "expected one of " + String.join(", ", words) + ", got '" + s.get() + "'");
            return Optional.empty();
        }
        return s;
    }

    <E extends Enum<E>> Optional<E> choice(Item item, String path, List<String> words, List<E> values) {
        Optional<String> s = string(item, path);
        if (s.isEmpty()) {
            return Optional.empty();
        }
        int i = words.indexOf(s.get());
        if (i < 0) {
            problem(item.line(), path, "expected one of " + String.join(", ", words) + ", got '" + s.get() + "'");
            return Optional.empty();
        }
        return Optional.of(values.get(i));
    }
}
