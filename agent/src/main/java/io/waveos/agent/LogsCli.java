package io.waveos.agent;

import io.waveos.agent.platform.Storage;
import io.waveos.agent.spool.Cursor;
import io.waveos.agent.spool.SpoolExport;
import io.waveos.agent.spool.SpoolReader;
import io.waveos.agent.spool.SpoolRecord;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * {@code waveos logs [--config FILE | --dir DIR] [--service S] [--since T] [--follow]}: prints the
 * spool's records as text lines (docs/spool.md), reading the segment files directly, so it works
 * while the agent runs and when it does not. {@code --since} takes an instant
 * ({@code 2026-11-22T08:00:00Z}) or an age ({@code 10m}, {@code 2h}, {@code 30s}). Corrupt stretches
 * are reported on stderr and skipped.
 */
final class LogsCli {
    static final String USAGE = "expected: logs [--config FILE | --dir DIR] [--service S] [--since T] [--follow]";
    private static final int BATCH = 1000;

    private final Storage storage;
    private final PrintStream out;
    private final PrintStream err;
    private final Runnable pause;
    private final BooleanSupplier keepFollowing;

    /**
     * @param pause waits between polls under {@code --follow}
     * @param keepFollowing polled before each wait; false ends {@code --follow}
     */
    LogsCli(Storage storage, PrintStream out, PrintStream err, Runnable pause, BooleanSupplier keepFollowing) {
        this.storage = storage;
        this.out = out;
        this.err = err;
        this.pause = pause;
        this.keepFollowing = keepFollowing;
    }

    private record Options(Optional<Path> config, Optional<Path> dir, Optional<String> service,
            Optional<String> since, boolean follow) {
    }

    int run(String[] args, Instant now) {
        Optional<Options> options = parse(args);
        if (options.isEmpty()) {
            err.println("waveos: " + USAGE);
            return 2;
        }
        Options o = options.get();
        Optional<Path> dir = o.dir();
        if (dir.isEmpty()) {
            Optional<AgentMain.Loaded> loaded = AgentMain.load(storage, o.config().orElse(Path.of("/etc/waveos/agent.yaml")),
                    err);
            if (loaded.isEmpty()) {
                return 2;
            }
            dir = Optional.of(loaded.get().config().spool().dir());
        }
        Optional<Long> sinceMicros = Optional.empty();
        if (o.since().isPresent()) {
            sinceMicros = since(o.since().get(), now);
            if (sinceMicros.isEmpty()) {
                err.println("waveos: --since expects an instant such as 2026-11-22T08:00:00Z or an age such as 10m");
                return 2;
            }
        }
        try {
            return print(new SpoolReader(storage, dir.get()), o, sinceMicros);
        } catch (IOException e) {
            err.println("waveos: cannot read the spool in " + dir.get() + ": " + e.getMessage());
            return 1;
        }
    }

    private int print(SpoolReader reader, Options o, Optional<Long> sinceMicros) throws IOException {
        Optional<Cursor> at = reader.oldest();
        while (true) {
            if (at.isEmpty()) {
                at = reader.oldest();
            } else {
                SpoolReader.Batch b = reader.read(at.get(), BATCH);
                b.corrupt().forEach(c -> err.println("waveos: skipped corrupt spool bytes: " + c));
                if (b.skippedSegments() > 0) {
                    err.println("waveos: older records were deleted by retention while reading");
                }
                for (SpoolRecord r : b.records()) {
                    if (o.service().map(s -> s.equals(r.service())).orElse(true)
                            && sinceMicros.map(s -> r.wallMicros() >= s).orElse(true)) {
                        out.print(SpoolExport.line(r));
                    }
                }
                at = Optional.of(b.next());
                if (b.records().size() == BATCH) {
                    continue;
                }
            }
            out.flush();
            if (!o.follow() || !keepFollowing.getAsBoolean()) {
                return 0;
            }
            pause.run();
        }
    }

    private static Optional<Long> since(String text, Instant now) {
        try {
            Instant t = Instant.parse(text);
            return Optional.of(t.getEpochSecond() * 1_000_000L + t.getNano() / 1000);
        } catch (DateTimeParseException notAnInstant) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]{1,9})(s|m|h|d)").matcher(text);
            if (!m.matches()) {
                return Optional.empty();
            }
            long n = Long.parseLong(m.group(1));
            Duration age = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            Instant t = now.minus(age);
            return Optional.of(t.getEpochSecond() * 1_000_000L + t.getNano() / 1000);
        }
    }

    private static Optional<Options> parse(String[] args) {
        Optional<Path> config = Optional.empty();
        Optional<Path> dir = Optional.empty();
        Optional<String> service = Optional.empty();
        Optional<String> since = Optional.empty();
        boolean follow = false;
        for (int i = 0; i < args.length; i++) {
            boolean hasValue = i + 1 < args.length;
            switch (args[i]) {
                case "--follow", "-f" -> follow = true;
                case "--config", "--dir", "--service", "--since" -> {
                    if (!hasValue) {
                        return Optional.empty();
                    }
                    String v = args[++i];
                    switch (args[i - 1]) {
                        case "--config" -> config = Optional.of(Path.of(v));
                        case "--dir" -> dir = Optional.of(Path.of(v).toAbsolutePath());
                        case "--service" -> service = Optional.of(v);
                        default -> since = Optional.of(v);
                    }
                }
                default -> {
                    return Optional.empty();
                }
            }
        }
        if (config.isPresent() && dir.isPresent()) {
            return Optional.empty();
        }
        return Optional.of(new Options(config, dir, service, since, follow));
    }
}
