package io.waveos.agent.telemetry;

import io.waveos.agent.platform.MonotonicClock;
import io.waveos.agent.platform.Signal;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Figures derived from the event stream: per service its last start, exits and last exit status, and
 * per subject the error events of the last minute. Fed every event the agent emits
 * ({@link #observe}); read by the sampler. Loop thread only.
 *
 * <p>An error event is one of {@link #ERRORS}, or a {@code service.exited} with a non-zero code or a
 * signal. At most {@value #MAX_REMEMBERED} error times are kept per subject: a faster stream is
 * reported as that many per minute.
 */
public final class EventTally {
    /** The window of {@code error_events_per_min}. */
    public static final Duration WINDOW = Duration.ofMinutes(1);
    static final int MAX_REMEMBERED = 10_000;

    /** Codes that are always errors. */
    public static final Set<EventCode> ERRORS = EnumSet.of(EventCode.SERVICE_START_FAILED,
            EventCode.SERVICE_NOT_READY, EventCode.INTENSITY_EXCEEDED, EventCode.SERVICE_KILLED,
            EventCode.WATCHDOG_ERROR, EventCode.LOOP_STALLED, EventCode.STATE_WRITE_FAILED,
            EventCode.CONTROL_UNAVAILABLE, EventCode.COMPANION_ERROR, EventCode.UPDATE_REJECTED,
            EventCode.UPDATE_ROLLED_BACK, EventCode.UPDATE_ROLLBACK_FAILED, EventCode.CONFIG_REJECTED);

    private final MonotonicClock clock;
    private final Map<String, ServiceTally> services = new HashMap<>();
    private final Map<String, ArrayDeque<Long>> errors = new HashMap<>();
    private final ArrayDeque<Long> allErrors = new ArrayDeque<>();
    private long events;

    /** What the events said about one service. */
    public static final class ServiceTally {
        private Optional<Long> startedNanos = Optional.empty();
        private long exits;
        private Optional<Integer> lastExitCode = Optional.empty();
        private Optional<Integer> lastExitSignal = Optional.empty();

        public Optional<Long> startedNanos() {
            return startedNanos;
        }

        public long exits() {
            return exits;
        }

        public Optional<Integer> lastExitCode() {
            return lastExitCode;
        }

        public Optional<Integer> lastExitSignal() {
            return lastExitSignal;
        }
    }

    public EventTally(MonotonicClock clock) {
        this.clock = clock;
    }

    public void observe(Event event) {
        events++;
        long now = clock.nanos();
        boolean error = ERRORS.contains(event.code());
        if (event.code() == EventCode.SERVICE_STARTING) {
            tally(event.subject()).startedNanos = Optional.of(now);
        } else if (event.code() == EventCode.SERVICE_EXITED) {
            ServiceTally t = tally(event.subject());
            t.exits++;
            t.startedNanos = Optional.empty();
            Object code = event.fields().get("exit_code");
            Object signal = event.fields().get("signal");
            if (code instanceof Integer c) {
                t.lastExitCode = Optional.of(c);
                t.lastExitSignal = Optional.empty();
                error = c != 0;
            } else if (signal instanceof String s) {
                t.lastExitCode = Optional.empty();
                t.lastExitSignal = Signal.ofName(s).map(Signal::number);
                error = true;
            }
        }
        if (error) {
            remember(errors.computeIfAbsent(event.subject(), k -> new ArrayDeque<>()), now);
            remember(allErrors, now);
        }
    }

    public Optional<ServiceTally> service(String name) {
        return Optional.ofNullable(services.get(name));
    }

    /** Error events about {@code subject} in the last {@link #WINDOW}. */
    public int errorsLastMinute(String subject) {
        ArrayDeque<Long> times = errors.get(subject);
        return times == null ? 0 : prune(times);
    }

    /** Error events about any subject in the last {@link #WINDOW}. */
    public int errorsLastMinute() {
        return prune(allErrors);
    }

    /** Every event observed since start. */
    public long events() {
        return events;
    }

    private ServiceTally tally(String service) {
        return services.computeIfAbsent(service, k -> new ServiceTally());
    }

    private static void remember(ArrayDeque<Long> times, long now) {
        times.addLast(now);
        if (times.size() > MAX_REMEMBERED) {
            times.removeFirst();
        }
    }

    private int prune(ArrayDeque<Long> times) {
        long cutoff = clock.nanos() - WINDOW.toNanos();
        while (!times.isEmpty() && times.peekFirst() <= cutoff) {
            times.removeFirst();
        }
        return times.size();
    }
}
