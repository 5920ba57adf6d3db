package io.waveos.hil.demo;

import io.waveos.agent.telemetry.EventChainVerifier;
import io.waveos.bundles.json.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The demo run. Act 1: the agent starts the example services and meets their faults. Then the
 * demo kills the agent with SIGKILL. Act 2: a new agent classifies the crash, stops the orphans the
 * first one left and starts afresh; at the end SIGTERM stops everything in order.
 */
public final class Demo {
    private final Path home;
    private final Path agentJar;
    private final Duration total;
    private final PrintStream out;

    public Demo(Path home, Path agentJar, Duration total, PrintStream out) {
        this.home = home;
        this.agentJar = agentJar;
        this.total = total;
        this.out = out;
    }

    public int run() throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("waveos-demo-");
        Path config = prepare(work);
        out.println("WaveOS demo: the real agent supervising 7 example services, some of them misbehaving.");
        out.println("  work folder: " + work);
        out.println("  config:      " + config);
        long act1 = total.toMillis() * 2 / 3;
        long act2 = total.toMillis() - act1;

        out.println("\n== Act 1: start, crashes, escalation (" + act1 / 1000 + " s)");
        Process first = startAgent(config, work.resolve("agent-1.out"));
        Tail tail = new Tail(work.resolve("logs/runs"), out);
        tail.follow(first, act1);
        out.println("\n== kill -9 of the agent (pid " + first.pid() + ") while its services run");
        first.destroyForcibly();
        first.waitFor(10, TimeUnit.SECONDS);

        out.println("\n== Act 2: a new agent recovers (" + act2 / 1000 + " s)");
        Process second = startAgent(config, work.resolve("agent-2.out"));
        tail.follow(second, act2);
        out.println("\n== SIGTERM: graceful shutdown");
        second.destroy();
        boolean exited = second.waitFor(60, TimeUnit.SECONDS);
        tail.drain();
        int code = exited ? second.exitValue() : -1;
        if (!exited) {
            second.destroyForcibly();
        }
        return new Report(work, out).print(code);
    }

    private Path prepare(Path work) throws IOException {
        Path template = home.resolve("examples/demo/agent.yaml.template");
        String text = Files.readString(template, StandardCharsets.UTF_8)
                .replace("@WORK@", work.toString())
                .replace("@SERVICES@", home.resolve("examples/demo/services").toAbsolutePath().normalize().toString());
        Path config = work.resolve("agent.yaml");
        Files.writeString(config, text, StandardCharsets.UTF_8);
        return config;
    }

    private Process startAgent(Path config, Path output) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-Xmx32m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Xss256k", "-XX:-UsePerfData", "-jar", agentJar.toString(), "agent", "--config",
                config.toString());
        pb.redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().remove("NOTIFY_SOCKET");
        return pb.start();
    }

    /** Prints the notable events of the newest run as they appear. */
    static final class Tail {
        private final Path runs;
        private final PrintStream out;
        private final Map<Path, Integer> printed = new LinkedHashMap<>();

        Tail(Path runs, PrintStream out) {
            this.runs = runs;
            this.out = out;
        }

        void follow(Process agent, long millis) throws IOException, InterruptedException {
            long end = System.nanoTime() + millis * 1_000_000L;
            while (System.nanoTime() < end && agent.isAlive()) {
                drain();
                agent.waitFor(100, TimeUnit.MILLISECONDS);
            }
            drain();
        }

        void drain() throws IOException {
            if (!Files.isDirectory(runs)) {
                return;
            }
            List<Path> files;
            try (Stream<Path> s = Files.list(runs)) {
                files = s.filter(p -> !p.getFileName().toString().equals("current")).sorted()
                        .map(p -> p.resolve("events.jsonl")).filter(Files::exists).toList();
            }
            for (Path f : files) {
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                int done = printed.getOrDefault(f, 0);
                for (int i = done; i < lines.size(); i++) {
                    Line.parse(lines.get(i)).filter(Line::notable).ifPresent(l -> out.println("  " + l.render()));
                }
                printed.put(f, lines.size());
            }
        }
    }

    /** The closing summary. */
    static final class Report {
        private final Path work;
        private final PrintStream out;

        Report(Path work, PrintStream out) {
            this.work = work;
            this.out = out;
        }

        int print(int exitCode) throws IOException {
            Path runs = work.resolve("logs/runs");
            List<Path> dirs;
            try (Stream<Path> s = Files.list(runs)) {
                dirs = s.filter(p -> !p.getFileName().toString().equals("current")).sorted().toList();
            }
            out.println("\n== What happened");
            boolean chainsOk = true;
            Map<String, int[]> perService = new TreeMap<>();
            List<String> ladder = new ArrayList<>();
            for (Path dir : dirs) {
                Path events = dir.resolve("events.jsonl");
                byte[] bytes = Files.readAllBytes(events);
                EventChainVerifier.Result r = EventChainVerifier.verify(bytes);
                boolean ok = r instanceof EventChainVerifier.Valid;
                chainsOk &= ok;
                String meta = Files.readString(dir.resolve("run_meta.json"));
                String previous = String.valueOf(parse(meta).get("previous_stop"));
                out.println("  run " + dir.getFileName() + ": previous stop classified as '" + previous
                        + "'; hash chain " + (ok ? "intact" : "BROKEN: " + r));
                for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
                    Line.parse(line).ifPresent(l -> {
                        int[] c = perService.computeIfAbsent(l.subject(), k -> new int[4]);
                        switch (l.code()) {
                            case "service.starting" -> c[0]++;
                            case "service.exited" -> c[1]++;
                            case "service.start_failed" -> c[2]++;
                            case "service.killed" -> c[3]++;
                            case "service.intensity_exceeded", "mode.changed", "reboot.intent",
                                    "service.orphan_found" -> ladder.add(l.render());
                            default -> { }
                        }
                    });
                }
            }
            out.println("\n  service          starts  exits  failed-starts  SIGKILLs");
            perService.forEach((name, c) -> {
                if (!List.of("agent", "mode", "watchdog").contains(name)) {
                    out.printf("  %-16s %6d %6d %14d %9d%n", name, c[0], c[1], c[2], c[3]);
                }
            });
            out.println("\n  escalations, modes and recovery:");
            ladder.forEach(l -> out.println("    " + l));
            long outputBytes = 0;
            Path services = work.resolve("logs/services");
            if (Files.isDirectory(services)) {
                try (Stream<Path> s = Files.list(services)) {
                    for (Path p : s.filter(p -> p.getFileName().toString().startsWith("chatty-logger")).toList()) {
                        outputBytes += Files.size(p);
                    }
                }
            }
            out.printf("%n  chatty-logger flooded stdout; its rotated files hold %d KiB (cap: 3 x 64 KiB per stream)%n",
                    outputBytes / 1024);
            out.println("  agent exit code after SIGTERM: " + exitCode + (exitCode == 0 ? " (clean)" : " (NOT clean)"));
            Path current = runs.resolve("current");
            out.println("\n  events:  " + current.resolve("events.jsonl") + "  (and the earlier run beside it)");
            out.println("  verify:  ./waveos events verify " + current.resolve("events.jsonl"));
            boolean ok = chainsOk && exitCode == 0 && dirs.size() == 2;
            out.println(ok ? "\nDemo finished: OK" : "\nDemo finished: something was wrong (see above)");
            return ok ? 0 : 1;
        }

        private static Map<String, Object> parse(String json) throws IOException {
            try {
                return Json.parseObject(json.getBytes(StandardCharsets.UTF_8));
            } catch (Json.ParseException e) {
                throw new IOException("run_meta.json is not JSON: " + e.getMessage(), e);
            }
        }
    }

    /** One events.jsonl line, the fields the demo shows. */
    record Line(String time, String code, String subject, String reason) {
        static java.util.Optional<Line> parse(String line) {
            if (line.isBlank()) {
                return java.util.Optional.empty();
            }
            try {
                Map<String, Object> m = Json.parseObject(line.getBytes(StandardCharsets.UTF_8));
                String reason = String.valueOf(m.get("reason"));
                if (m.get("fields") instanceof Map<?, ?> f && f.containsKey("from") && f.containsKey("to")) {
                    reason = f.get("from") + " -> " + f.get("to") + ": " + reason;
                }
                return java.util.Optional.of(new Line(String.valueOf(m.get("time")), String.valueOf(m.get("code")),
                        String.valueOf(m.get("subject")), reason));
            } catch (Json.ParseException e) {
                return java.util.Optional.empty(); // a line still being written
            }
        }

        boolean notable() {
            return !List.of("service.ready", "service.starting", "systemd.ready", "service.backoff_reset")
                    .contains(code);
        }

        String render() {
            String t = time.length() >= 23 ? time.substring(11, 23) : time;
            return t + "  " + String.format("%-26s", code) + " " + String.format("%-14s", subject) + " " + reason;
        }
    }
}
