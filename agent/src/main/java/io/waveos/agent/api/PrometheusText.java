package io.waveos.agent.api;

import io.waveos.agent.telemetry.MetricKey;
import io.waveos.agent.telemetry.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Builds the Prometheus text exposition, format 0.0.4: one {@code # HELP} and {@code # TYPE} per
 * family, its samples right after. Names are sanitised to {@code [a-z0-9_]}; label values escaped.
 * Counters end in {@code _total}, gauges never do ({@code promtool check metrics}).
 */
public final class PrometheusText {
    private record Family(String help, String type, List<String> lines) {
    }

    private final Map<String, Family> families = new TreeMap<>();

    /** Every value of the latest telemetry sample, as gauges {@code waveos_<scope>_<name>{subject}}. */
    public PrometheusText sample(Optional<Sample> sample) {
        sample.ifPresent(s -> s.values().forEach((MetricKey k, Double v) -> {
            String name = name("waveos_" + k.scope().name() + "_" + k.name());
            if (name.endsWith("_total")) {
                name = name + "_value";
            }
            gauge(name, "telemetry sample " + k.scope().name().toLowerCase(Locale.ROOT) + " metric " + k.name(),
                    Map.of("subject", k.subject()), v);
        }));
        return this;
    }

    public PrometheusText gauge(String name, String help, Map<String, String> labels, double value) {
        return add(name, help, "gauge", labels, value);
    }

    /** A counter; {@code name} must end in {@code _total}. */
    public PrometheusText counter(String name, String help, Map<String, String> labels, double value) {
        if (!name.endsWith("_total")) {
            throw new IllegalArgumentException("counter names end in _total: " + name);
        }
        return add(name, help, "counter", labels, value);
    }

    private PrometheusText add(String name, String help, String type, Map<String, String> labels, double value) {
        Family f = families.computeIfAbsent(name(name), n -> new Family(help, type, new ArrayList<>()));
        StringBuilder b = new StringBuilder(name(name));
        if (!labels.isEmpty()) {
            b.append('{');
            String sep = "";
            for (Map.Entry<String, String> l : new TreeMap<>(labels).entrySet()) {
                b.append(sep).append(name(l.getKey())).append("=\"").append(escape(l.getValue())).append('"');
                sep = ",";
            }
            b.append('}');
        }
        b.append(' ').append(number(value));
        f.lines().add(b.toString());
        return this;
    }

    public String text() {
        StringBuilder b = new StringBuilder();
        families.forEach((name, f) -> {
            b.append("# HELP ").append(name).append(' ').append(f.help().replace("\\", "\\\\").replace("\n", "\\n"))
                    .append('\n');
            b.append("# TYPE ").append(name).append(' ').append(f.type()).append('\n');
            f.lines().forEach(l -> b.append(l).append('\n'));
        });
        return b.toString();
    }

    static String name(String raw) {
        String n = raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        return Character.isDigit(n.charAt(0)) ? "_" + n : n;
    }

    static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
