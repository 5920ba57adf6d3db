package io.waveos.hil.scenario;

import io.waveos.agent.config.ConfigException;
import io.waveos.agent.config.ConfigLoader;
import io.waveos.hil.scenario.YamlTree.Item;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code device.spool} and {@code device.api}: agent settings a scenario passes through, each checked
 * by the agent's own configuration loader (in a minimal {@code agent.yaml} around it), so that a
 * scenario cannot set a cap or a limit a device would refuse. The settings the rig owns (the spool's
 * folder and forwarding; the API's address, port and keys) are not the scenario's to set.
 */
final class AgentSections {
    static final List<String> SPOOL_KEYS = List.of("durability", "batch_records", "batch_interval", "segment_size",
            "segment_age", "max_total_size", "max_age", "max_line", "queue_size");
    static final List<String> API_LIMIT_KEYS = List.of("requests_per_second", "burst", "failures_per_second",
            "max_body", "max_concurrent", "request_timeout", "skew", "nonce_cache", "reply_timeout", "drain");

    private AgentSections() {
    }

    /** {@code device.spool}: the agent's {@code spool} section, caps and durability only. */
    static Optional<Map<String, String>> spool(Fields f, Item item) {
        return checked(f, item, "device.spool", SPOOL_KEYS, values -> "spool: " + flow(values));
    }

    /** {@code device.api}: the API is on; the values are its {@code limits} ({@code {}} for the defaults). */
    static Optional<Map<String, String>> api(Fields f, Item item) {
        return checked(f, item, "device.api", API_LIMIT_KEYS, values -> "api: {keys: [{id: hil-check, secret: "
                + "\"hil-check-secret-0123456789\", role: operator}], limits: " + flow(values) + "}");
    }

    /** {@code {k: v, ...}} in key order, values as written. */
    static String flow(Map<String, String> values) {
        return "{" + String.join(", ", values.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + ": " + e.getValue()).toList()) + "}";
    }

    private static Optional<Map<String, String>> checked(Fields f, Item item, String path, List<String> keys,
            java.util.function.Function<Map<String, String>, String> section) {
        if (f.map(item, path, keys).isEmpty()) {
            return Optional.empty();
        }
        Optional<Map<String, String>> values = f.plainMap(item, path);
        values.ifPresent(v -> {
            String yaml = "schema_version: 1\ndevice_id: hil-check\nservices: []\n" + section.apply(v) + "\n";
            try {
                new ConfigLoader().parse(path, yaml);
            } catch (ConfigException e) {
                for (ConfigException.ConfigProblem p : e.problems()) {
                    f.problem(item.line(), path, "the agent's configuration loader refuses it: "
                            + (p.keyPath().isEmpty() ? "" : p.keyPath() + ": ") + p.message());
                }
            }
        });
        return values;
    }
}
