package io.waveos.agent.policy;

import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.EventCode;
import io.waveos.agent.telemetry.MetricKey;
import io.waveos.agent.telemetry.Scope;
import io.waveos.agent.telemetry.Sample;
import io.waveos.bundles.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A recorded run read back for replay: the samples of {@code metrics.csv} (rows with equal
 * {@code mono_ms} form one sample) and the events of {@code events.jsonl}, placed on the samples'
 * monotonic time line through their wall times. Pure: parses bytes.
 */
public record RecordedRun(List<Sample> samples, List<Recorded> events, List<String> skipped) {
    /** The fixed header of {@code metrics.csv} (docs/telemetry.md). */
    public static final String HEADER = "time,mono_ms,scope,subject,metric,value";

    /** An event with the wall time it was written at and its place on the monotonic line. */
    public record Recorded(Instant wall, long monoNanos, Event event) {
    }

    public RecordedRun {
        samples = List.copyOf(samples);
        events = List.copyOf(events);
        skipped = List.copyOf(skipped);
    }

    /**
     * @param metricsCsv the file's bytes, or empty when the run has none
     * @param eventsJsonl the file's bytes, or empty when the run has none
     * @throws IllegalArgumentException naming the file and line of a malformed row or line
     */
    public static RecordedRun parse(Optional<byte[]> metricsCsv, Optional<byte[]> eventsJsonl) {
        List<Sample> samples = metricsCsv.map(RecordedRun::samples).orElse(List.of());
        List<String> skipped = new ArrayList<>();
        List<Recorded> events = new ArrayList<>();
        if (eventsJsonl.isPresent()) {
            // Events carry wall time only: place them by their offset from the first sample.
            Instant wall0 = samples.isEmpty() ? null : samples.get(0).wall();
            long mono0 = samples.isEmpty() ? 0 : samples.get(0).monoNanos();
            String[] lines = new String(eventsJsonl.get(), StandardCharsets.UTF_8).split("\n");
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].isBlank()) {
                    continue;
                }
                Optional<Recorded> r = event(lines[i], i + 1, skipped);
                if (r.isEmpty()) {
                    continue;
                }
                Instant w = r.get().wall();
                if (wall0 == null) {
                    wall0 = w;
                }
                long mono = mono0 + java.time.Duration.between(wall0, w).toNanos();
                events.add(new Recorded(w, mono, r.get().event()));
            }
        }
        return new RecordedRun(samples, events, skipped);
    }

    private static List<Sample> samples(byte[] csv) {
        String[] lines = new String(csv, StandardCharsets.UTF_8).split("\n");
        if (lines.length == 0 || !lines[0].strip().equals(HEADER)) {
            throw new IllegalArgumentException("metrics.csv:1: expected the header " + HEADER);
        }
        List<Sample> out = new ArrayList<>();
        Map<MetricKey, Double> values = new LinkedHashMap<>();
        Instant wall = null;
        long mono = Long.MIN_VALUE;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split(",", -1);
            if (f.length != 6) {
                throw new IllegalArgumentException("metrics.csv:" + (i + 1) + ": expected 6 fields, got " + f.length);
            }
            try {
                long ms = Long.parseLong(f[1]);
                if (ms != mono && wall != null) {
                    out.add(new Sample(wall, mono * 1_000_000, values));
                    values = new LinkedHashMap<>();
                }
                mono = ms;
                wall = Instant.parse(f[0]);
                values.put(new MetricKey(Scope.fromWire(f[2]), f[3], f[4]), Double.parseDouble(f[5]));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("metrics.csv:" + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        if (wall != null) {
            out.add(new Sample(wall, mono * 1_000_000, values));
        }
        return out;
    }

    private static Optional<Recorded> event(String line, int number, List<String> skipped) {
        Map<String, Object> m;
        try {
            m = Json.parseObject(line.getBytes(StandardCharsets.UTF_8));
        } catch (Json.ParseException e) {
            throw new IllegalArgumentException("events.jsonl:" + number + ": not JSON: " + e.getMessage(), e);
        }
        Object code = m.get("code");
        Optional<EventCode> known = Arrays.stream(EventCode.values()).filter(c -> c.wire().equals(code)).findFirst();
        if (known.isEmpty()) {
            skipped.add("events.jsonl:" + number + ": unknown code " + code);
            return Optional.empty();
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        if (m.get("fields") instanceof Map<?, ?> f) {
            f.forEach((k, v) -> fields.put(String.valueOf(k), v instanceof String || v instanceof Long
                    || v instanceof Double || v instanceof Boolean ? v : String.valueOf(v)));
        }
        Event e = new Event(known.get(), String.valueOf(m.get("subject")), String.valueOf(m.get("reason")), fields);
        return Optional.of(new Recorded(Instant.parse(String.valueOf(m.get("time"))), 0, e));
    }
}
