package io.waveos.agent.spool;

import io.waveos.agent.platform.MonotonicClock;
import io.waveos.agent.platform.Storage;
import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.EventCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * Sends the spool to one {@link ForwardTarget}, at least once, with the spool itself as the buffer:
 * it reads segment files from its cursor (never the writer's queue, so forwarding cannot block
 * capture), keeps one bounded batch in memory, and persists its cursor after each acknowledgement.
 *
 * <p>Cursor file {@code forward-NAME.cursor} in the spool folder: {@code cursor=SEGMENT@OFFSET} and
 * {@code sent_through=SEQ}, the highest sequence ever handed to the target. {@code sent_through} is
 * written before a send and the cursor after its acknowledgement, so after a crash or restart the
 * records between them are sent again and counted as {@link #duplicates()}.
 *
 * <p>Failures: retries with exponential backoff ({@code backoffBase} doubling to {@code backoffMax},
 * each delay drawn uniformly from its upper half: jitter). After {@code breakerFailures} failures in
 * a row the circuit breaker opens for {@code breakerOpen}: nothing is sent; then one trial batch
 * (half-open) closes it on success or opens it again. Opening and closing are {@code
 * spool.forward_breaker} events. Retention may delete segments the target never got: the reader
 * moves on to the oldest segment left.
 *
 * <p>Single-threaded: {@link #step} is driven by one thread (the agent's forwarding thread or a test);
 * {@link #breaker}, {@link #forwarded} and {@link #duplicates} may be read from any thread.
 */
public final class Forwarder {
    /** Tuning of batches, backoff and the breaker. */
    public record Settings(int batchRecords, Duration idlePoll, Duration backoffBase, Duration backoffMax,
            int breakerFailures, Duration breakerOpen) {
        public static Settings defaults() {
            return new Settings(500, Duration.ofMillis(200), Duration.ofMillis(200), Duration.ofSeconds(30), 5,
                    Duration.ofSeconds(30));
        }
    }

    /** The breaker's states. */
    public enum Breaker {
        CLOSED, OPEN, HALF_OPEN
    }

    private final ForwardTarget target;
    private final SpoolReader reader;
    private final Storage storage;
    private final Path cursorFile;
    private final Settings settings;
    private final MonotonicClock clock;
    private final DoubleSupplier random;
    private final SpoolListener listener;
    private Optional<Cursor> cursor;
    private long sentThrough;
    private int failures;
    /** Written by the forwarding thread only; volatile so that telemetry can read them. */
    private volatile Breaker breaker = Breaker.CLOSED;
    private long openUntilNanos;
    private volatile long forwarded;
    private volatile long duplicates;

    public Forwarder(ForwardTarget target, Storage storage, Path spoolDir, Settings settings, MonotonicClock clock,
            DoubleSupplier random, SpoolListener listener) throws IOException {
        this.target = target;
        this.reader = new SpoolReader(storage, spoolDir);
        this.storage = storage;
        this.cursorFile = spoolDir.resolve("forward-" + target.name() + ".cursor");
        this.settings = settings;
        this.clock = clock;
        this.random = random;
        this.listener = listener;
        this.cursor = Optional.empty();
        this.sentThrough = -1;
        loadCursor();
    }

    /** Sends at most one batch; returns how long to wait before the next step. */
    public Duration step() {
        long now = clock.nanos();
        if (breaker == Breaker.OPEN) {
            if (now - openUntilNanos < 0) {
                return Duration.ofNanos(openUntilNanos - now);
            }
            breaker = Breaker.HALF_OPEN;
        }
        SpoolReader.Batch batch;
        try {
            Optional<Cursor> from = cursor.isPresent() ? cursor : reader.oldest();
            if (from.isEmpty()) {
                return settings.idlePoll();
            }
            batch = reader.read(from.get(), settings.batchRecords());
            if (batch.records().isEmpty()) {
                cursor = Optional.of(batch.next());
                return settings.idlePoll();
            }
        } catch (IOException e) {
            return failed(e, now);
        }
        return send(batch, now);
    }

    private Duration send(SpoolReader.Batch batch, long now) {
        List<SpoolRecord> records = batch.records();
        long last = records.get(records.size() - 1).sequence();
        long previouslySent = sentThrough;
        try {
            if (last > sentThrough) {
                sentThrough = last;
                persist();
            }
            target.send(records);
            cursor = Optional.of(batch.next());
            persist();
        } catch (IOException e) {
            return failed(e, now);
        }
        duplicates += records.stream().filter(r -> r.sequence() <= previouslySent).count();
        forwarded += records.size();
        failures = 0;
        if (breaker != Breaker.CLOSED) {
            breaker = Breaker.CLOSED;
            listener.report(Event.of(EventCode.SPOOL_FORWARD_BREAKER, "spool", "forwarding works again: breaker closed",
                    "target", target.name(), "state", "closed"));
        }
        return Duration.ZERO;
    }

    private Duration failed(IOException e, long now) {
        failures++;
        boolean opens = breaker == Breaker.HALF_OPEN
                || (breaker == Breaker.CLOSED && failures >= settings.breakerFailures());
        if (opens) {
            if (breaker == Breaker.CLOSED) {
                listener.report(Event.of(EventCode.SPOOL_FORWARD_BREAKER, "spool",
                        "forwarding keeps failing: breaker open: " + e.getMessage(), "target", target.name(),
                        "state", "open", "failures", (long) failures));
            }
            breaker = Breaker.OPEN;
            openUntilNanos = now + settings.breakerOpen().toNanos();
            return settings.breakerOpen();
        }
        long base = settings.backoffBase().toNanos() << Math.min(failures - 1, 20);
        long capped = Math.min(base, settings.backoffMax().toNanos());
        return Duration.ofNanos(capped / 2 + (long) (random.getAsDouble() * (capped / 2)));
    }

    private void loadCursor() throws IOException {
        Optional<byte[]> bytes = storage.read(cursorFile);
        if (bytes.isEmpty()) {
            return;
        }
        for (String line : new String(bytes.get(), StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("cursor=")) {
                cursor = Cursor.parse(line.substring("cursor=".length()));
            } else if (line.startsWith("sent_through=")) {
                sentThrough = Long.parseLong(line.substring("sent_through=".length()).trim());
            }
        }
    }

    private void persist() throws IOException {
        String text = cursor.map(c -> "cursor=" + c.text() + "\n").orElse("") + "sent_through=" + sentThrough + "\n";
        storage.writeAtomically(cursorFile, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The forwarding thread's body: steps until {@code running} turns false, waiting between steps
     * through {@code pause} (which may return early; the next step copes).
     */
    public Runnable loop(java.util.function.BooleanSupplier running, java.util.function.Consumer<Duration> pause) {
        return () -> {
            while (running.getAsBoolean()) {
                Duration wait = step();
                if (!wait.isZero()) {
                    pause.accept(wait);
                }
            }
        };
    }

    public Breaker breaker() {
        return breaker;
    }

    /** Records acknowledged by the target since this forwarder started (duplicates included). */
    public long forwarded() {
        return forwarded;
    }

    /** Records sent again that the target may already have had (after a failure or a restart). */
    public long duplicates() {
        return duplicates;
    }

    public Optional<Cursor> cursor() {
        return cursor;
    }
}
