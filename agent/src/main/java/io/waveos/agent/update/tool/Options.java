package io.waveos.agent.update.tool;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A parsed command line: {@code --name VALUE} options (some repeatable), {@code --flag} switches and
 * positional arguments, in any order. {@code --name=VALUE} is accepted too. An option the command does
 * not know, a missing value or a repeated single option is {@link BadInput}. Immutable once parsed.
 */
final class Options {

    private final Map<String, List<String>> values;
    private final Set<String> flags;
    private final List<String> positionals;

    private Options(Map<String, List<String>> values, Set<String> flags, List<String> positionals) {
        this.values = values;
        this.flags = flags;
        this.positionals = List.copyOf(positionals);
    }

    /**
     * @param valued options that take a value
     * @param switches options that take none
     */
    static Options parse(String[] args, Set<String> valued, Set<String> switches) throws BadInput {
        Map<String, List<String>> values = new LinkedHashMap<>();
        Set<String> flags = new java.util.HashSet<>();
        List<String> positionals = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || a.equals("--")) {
                positionals.add(a);
                continue;
            }
            int eq = a.indexOf('=');
            String name = eq < 0 ? a : a.substring(0, eq);
            if (switches.contains(name) && eq < 0) {
                flags.add(name);
            } else if (valued.contains(name)) {
                String value;
                if (eq >= 0) {
                    value = a.substring(eq + 1);
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new BadInput(name + " needs a value");
                }
                values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else {
                throw new BadInput("unknown option '" + a + "'");
            }
        }
        return new Options(values, flags, positionals);
    }

    /** The single value of {@code name}; {@link BadInput} when absent or repeated. */
    String required(String name) throws BadInput {
        return optional(name).orElseThrow(() -> new BadInput(name + " is required"));
    }

    /** The single value of {@code name}, if given; {@link BadInput} when repeated. */
    Optional<String> optional(String name) throws BadInput {
        List<String> v = values.getOrDefault(name, List.of());
        if (v.size() > 1) {
            throw new BadInput(name + " given " + v.size() + " times, expected once");
        }
        return v.stream().findFirst();
    }

    /** Every value of a repeatable option, in order. */
    List<String> all(String name) {
        return List.copyOf(values.getOrDefault(name, List.of()));
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    /** Exactly {@code count} positional arguments, described by {@code what} in the refusal. */
    List<String> positionals(int count, String what) throws BadInput {
        if (positionals.size() != count) {
            throw new BadInput("expected " + what + ", got " + (positionals.isEmpty() ? "none" : positionals));
        }
        return positionals;
    }

    /** The positional arguments, 0 or more. */
    List<String> positionals() {
        return positionals;
    }

    /** A non-negative integer option, or {@code fallback}. */
    long number(String name, long fallback) throws BadInput {
        Optional<String> v = optional(name);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v.get());
            if (n < 0) {
                throw new NumberFormatException("negative");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new BadInput(name + " expects a non-negative integer, got \"" + v.get() + "\"", e);
        }
    }
}
