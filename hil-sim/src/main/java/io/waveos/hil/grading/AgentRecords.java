package io.waveos.hil.grading;

import io.waveos.agent.telemetry.EventChainVerifier;
import io.waveos.bundles.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The agent's own records under its logs folder: one {@link Run} per agent start, in start order,
 * each with its parsed events, its chain verification and its {@code run_meta.json}.
 */
public record AgentRecords(List<Run> runs) {
    public AgentRecords {
        runs = List.copyOf(runs);
    }

    /** One event as the agent wrote it. */
    public record Ev(int run, long seq, Instant time, String code, String subject, String reason,
            Map<String, String> fields) {
        public Ev {
            fields = Map.copyOf(fields);
        }
    }

    /** One agent run: its id, events, whether its hash chain verifies, and how it classified the previous stop. */
    public record Run(String id, List<Ev> events, EventChainVerifier.Result chain, Optional<String> previousStop) {
        public Run {
            events = List.copyOf(events);
        }
    }

    public List<Ev> events() {
        return runs.stream().flatMap(r -> r.events().stream()).toList();
    }

    /** Reads {@code logs/runs/*}; a missing folder is zero runs (an agent that never started). */
    public static AgentRecords read(Path logs) throws IOException {
        return read(logs, java.util.function.UnaryOperator.identity());
    }

    /**
     * Reads {@code logs/runs/*} with every event's wall stamp put on the bench's line by {@code onBench}
     * (the identity unless the bench stepped the device's clock).
     */
    public static AgentRecords read(Path logs, java.util.function.UnaryOperator<Instant> onBench) throws IOException {
        Path runsDir = logs.resolve("runs");
        if (!Files.isDirectory(runsDir)) {
            return new AgentRecords(List.of());
        }
        List<Path> dirs;
        try (Stream<Path> s = Files.list(runsDir)) {
            dirs = s.filter(p -> !p.getFileName().toString().equals("current") && Files.isDirectory(p))
                    .sorted(Comparator.comparingLong(AgentRecords::counter)).toList();
        }
        List<Run> out = new ArrayList<>();
        for (Path dir : dirs) {
            Path events = dir.resolve("events.jsonl");
            byte[] bytes = Files.exists(events) ? Files.readAllBytes(events) : new byte[0];
            List<Ev> evs = new ArrayList<>();
            for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
                parse(out.size() + 1, line).map(e -> new Ev(e.run(), e.seq(), onBench.apply(e.time()), e.code(),
                        e.subject(), e.reason(), e.fields())).ifPresent(evs::add);
            }
            Optional<String> previous = Optional.empty();
            Path meta = dir.resolve("run_meta.json");
            if (Files.exists(meta)) {
                try {
                    Object v = Json.parseObject(Files.readAllBytes(meta)).get("previous_stop");
                    previous = v == null ? Optional.empty() : Optional.of(v.toString());
                } catch (Json.ParseException e) {
                    previous = Optional.of("unreadable run_meta.json: " + e.getMessage());
                }
            }
            out.add(new Run(dir.getFileName().toString(), evs, EventChainVerifier.verify(bytes), previous));
        }
        return new AgentRecords(out);
    }

    /** A run folder's start counter (the number after its last '-'), to order runs; unparsable ones last. */
    static long counter(Path dir) {
        String n = dir.getFileName().toString();
        try {
            return Long.parseLong(n.substring(n.lastIndexOf('-') + 1));
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** One line; a torn last line (a power cut mid-write) is no event. */
    static Optional<Ev> parse(int run, String line) {
        if (line.isBlank()) {
            return Optional.empty();
        }
        try {
            Map<String, Object> m = Json.parseObject(line.getBytes(StandardCharsets.UTF_8));
            Map<String, String> fields = new LinkedHashMap<>();
            if (m.get("fields") instanceof Map<?, ?> f) {
                f.forEach((k, v) -> fields.put(String.valueOf(k), String.valueOf(v)));
            }
            return Optional.of(new Ev(run, ((Number) m.get("seq")).longValue(), Instant.parse(m.get("time").toString()),
                    String.valueOf(m.get("code")), String.valueOf(m.get("subject")), String.valueOf(m.get("reason")),
                    fields));
        } catch (Json.ParseException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
