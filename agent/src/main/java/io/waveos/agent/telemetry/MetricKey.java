package io.waveos.agent.telemetry;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Names one time series: its scope, its subject and the metric.
 *
 * <p>The subject is empty for a figure of the whole scope ({@code system::cpu_permille},
 * {@code agent::heap_used_bytes}), a service name for a service's figure
 * ({@code service:modem:rss_bytes}), or the instance a system figure is about: a network interface
 * ({@code system:eth0:net_rx_bytes}), a thermal zone, a file system role ({@code system:state:disk_used_bytes}).
 * The wire form {@code scope:subject:name} is how {@code metrics.csv}, policy files and replay name a
 * series; the metric names themselves are listed in {@code docs/telemetry.md}.
 *
 * @param name lower-case letters, digits and {@code _}, starting with a letter; carries its unit as a
 *     suffix ({@code _bytes}, {@code _permille}, {@code _ms}, {@code _total} for counters)
 */
public record MetricKey(Scope scope, String subject, String name) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final Pattern SUBJECT = Pattern.compile("|[A-Za-z0-9][A-Za-z0-9_.@-]{0,62}");

    public MetricKey {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("metric name '" + name + "' must match " + NAME.pattern());
        }
        if (!SUBJECT.matcher(subject).matches()) {
            throw new IllegalArgumentException("metric subject '" + subject + "' must be empty or match "
                    + SUBJECT.pattern().substring(1));
        }
    }

    public static MetricKey system(String name) {
        return new MetricKey(Scope.SYSTEM, "", name);
    }

    public static MetricKey service(String service, String name) {
        return new MetricKey(Scope.SERVICE, service, name);
    }

    public static MetricKey agent(String name) {
        return new MetricKey(Scope.AGENT, "", name);
    }

    /** {@code scope:subject:name}, e.g. {@code service:modem:rss_bytes} or {@code system::load1}. */
    public String wire() {
        return scope.wire() + ":" + subject + ":" + name;
    }

    /**
     * Reads the {@link #wire()} form.
     *
     * @throws IllegalArgumentException naming the text and what is wrong with it
     */
    public static MetricKey parse(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("metric '" + text + "' must be scope:subject:name, e.g. "
                    + "service:modem:rss_bytes or system::cpu_permille");
        }
        return new MetricKey(Scope.fromWire(parts[0]), parts[1], parts[2]);
    }

    @Override
    public String toString() {
        return wire();
    }
}
