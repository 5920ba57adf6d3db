package io.waveos.agent.evidence;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What goes into one pack, already redacted, before it is capped and signed.
 *
 * @param packId unique per device ({@code <run-id>-<n>})
 * @param versions agent, config_sha256 and (once known) policy versions
 * @param runMeta the run's {@code run_meta.json}
 * @param events the run's {@code events.jsonl} as read (a final line without newline is dropped)
 * @param metricsCsv the metrics window, header included
 * @param extra further members by name ({@code logs/<service>.stdout.log}, {@code update/<file>.json}),
 *     in order of importance: the cap drops from the end of a member's front first
 */
public record PackContent(String packId, Instant created, String deviceId, String runId, Incident incident,
        Map<String, String> versions, byte[] runMeta, byte[] events, byte[] metricsCsv, Map<String, byte[]> extra) {
    public PackContent {
        Objects.requireNonNull(packId, "packId");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(incident, "incident");
        versions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(versions));
        Objects.requireNonNull(runMeta, "runMeta");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(metricsCsv, "metricsCsv");
        extra = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }
}
