package io.waveos.hil.scenario;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Something that must be true of what the agent did: its events ({@code events.jsonl} of every run),
 * its run records and the process table at the end. Never of the simulator's own script.
 */
public sealed interface Expectation {
    /** The line in the scenario file. */
    int line();

    /** How the report states it. */
    String text();

    /** Which events an expectation is about: a code, optionally a subject and field values. */
    record EventMatch(String code, Optional<String> subject, Map<String, String> fields) {
        public EventMatch {
            fields = Map.copyOf(fields);
        }

        public String text() {
            return code + subject.map(s -> " " + s).orElse("") + (fields.isEmpty() ? "" : " " + fields);
        }
    }

    /**
     * At least {@code atLeast} and at most {@code atMost} matching events between {@code from} and
     * {@code to} after the start.
     */
    record Occurs(EventMatch match, int atLeast, int atMost, Duration from, Duration to, int line)
            implements Expectation {
        @Override
        public String text() {
            String count = atMost < Integer.MAX_VALUE ? atLeast + " to " + atMost + "x " : atLeast == 1 ? ""
                    : atLeast + "x ";
            return count + match.text() + " between " + from.toMillis() / 1000.0 + " s and "
                    + (to.toDays() > 300 ? "the end" : to.toMillis() / 1000.0 + " s");
        }
    }

    /** No matching event between {@code from} and {@code to}. */
    record Never(EventMatch match, Duration from, Duration to, int line) implements Expectation {
        @Override
        public String text() {
            return "no " + match.text() + " between " + from.toMillis() / 1000.0 + " s and " + to.toMillis() / 1000.0
                    + " s";
        }
    }

    /** The agent's mode at the end, from its last run's events. */
    record FinalMode(String mode, int line) implements Expectation {
        @Override
        public String text() {
            return "final mode " + mode;
        }
    }

    /** These services have (or have not) a live process at the end, from the process table. */
    record FinalProcesses(List<String> services, boolean running, int line) implements Expectation {
        public FinalProcesses {
            services = List.copyOf(services);
        }

        @Override
        public String text() {
            return (running ? "running at the end: " : "not running at the end: ") + String.join(", ", services);
        }
    }

    /** The share of the scenario during which {@code service} had a live process, per the agent's events. */
    record Availability(String service, double atLeast, int line) implements Expectation {
        @Override
        public String text() {
            return "availability of " + service + " >= " + atLeast;
        }
    }

    /** Every run's event log verifies (hash chain intact). */
    record ChainIntact(int line) implements Expectation {
        @Override
        public String text() {
            return "every events.jsonl hash chain intact";
        }
    }

    /** Run {@code run} (1-based) classified the previous stop as {@code reason}. */
    record PreviousStop(int run, String reason, int line) implements Expectation {
        @Override
        public String text() {
            return "run " + run + " classified the previous stop as " + reason;
        }
    }

    /** Every exit of {@code service} was followed by a new start within {@code atMost}. */
    record RestartLatency(String service, Duration atMost, int line) implements Expectation {
        @Override
        public String text() {
            return "every restart of " + service + " within " + atMost.toMillis() + " ms";
        }
    }

    /** At least {@code atLeast} agent runs (boots and restarts) happened. */
    record Runs(int atLeast, int line) implements Expectation {
        @Override
        public String text() {
            return "at least " + atLeast + " agent runs";
        }
    }

    /**
     * At least {@code atLeast} signed evidence packs of incident {@code kind} (optionally about
     * {@code subject}) in the agent's evidence folder, each verified with the agent's {@code PackVerifier}.
     */
    record EvidencePack(String kind, Optional<String> subject, int atLeast, int line) implements Expectation {
        @Override
        public String text() {
            return (atLeast == 1 ? "a" : atLeast + "x") + " verified evidence pack " + kind + subject.map(s -> " " + s)
                    .orElse("");
        }
    }

    /** How a {@link Metric} expectation judges a series within its window. */
    enum MetricTest {
        /** some value is at least the level */
        REACHES,
        /** every value is below the level (and there is at least one) */
        STAYS_BELOW,
        /** consecutive samples are at most the period apart, and the window is covered from end to end */
        SAMPLED_EVERY
    }

    /**
     * A series of the agent's {@code metrics.csv} ({@code scope:subject:metric}, every run's rows) within
     * {@code [from, to]}: {@code level} is the value of REACHES and STAYS_BELOW, {@code every} the period
     * of SAMPLED_EVERY.
     */
    record Metric(String series, MetricTest test, double level, Duration every, Duration from, Duration to, int line)
            implements Expectation {
        @Override
        public String text() {
            String what = switch (test) {
                case REACHES -> "reaches " + plain(level);
                case STAYS_BELOW -> "stays below " + plain(level);
                case SAMPLED_EVERY -> "is sampled at least every " + every.toMillis() + " ms";
            };
            return "metrics.csv " + series + " " + what + " between " + from.toMillis() / 1000.0 + " s and "
                    + (to.toDays() > 300 ? "the end" : to.toMillis() / 1000.0 + " s");
        }

        private static String plain(double v) {
            return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
        }
    }

    /**
     * Lines of the agent's log spool ({@code docs/spool.md}), read with the agent's own {@code SpoolReader}:
     * the records of {@code service} (and {@code stream}, when given) whose text contains {@code contains},
     * stamped within {@code [from, to]}: at least {@code atLeast} and at most {@code atMost} of them, and,
     * with {@code every}, no gap longer than it between consecutive ones, the window's edges included.
     */
    record Log(String service, Optional<String> stream, String contains, int atLeast, int atMost,
            Optional<Duration> every, Duration from, Duration to, int line) implements Expectation {
        @Override
        public String text() {
            String count = atMost < Integer.MAX_VALUE ? atLeast + " to " + atMost : "at least " + atLeast;
            return count + " spool lines of " + service + stream.map(s -> " " + s).orElse("") + " containing '"
                    + contains + "'" + every.map(e -> ", at most " + e.toMillis() + " ms apart").orElse("")
                    + " between " + from.toMillis() / 1000.0 + " s and "
                    + (to.toDays() > 300 ? "the end" : to.toMillis() / 1000.0 + " s");
        }
    }

    /** The spool's segment files at the end hold at most {@code maxBytes} together (its cap held). */
    record SpoolWithin(long maxBytes, int line) implements Expectation {
        @Override
        public String text() {
            return "the spool's segments total at most " + maxBytes + " bytes at the end";
        }
    }

    /**
     * Lines of the API's audit log ({@code logs/api-audit.jsonl} and its rotated {@code .1}) with this
     * {@code decision} ({@code allowed}, {@code denied}, {@code refused}) and, when given, {@code code},
     * stamped within {@code [from, to]}: at least {@code atLeast}, at most {@code atMost}.
     */
    record ApiAudit(String decision, Optional<String> code, int atLeast, int atMost, Duration from, Duration to,
            int line) implements Expectation {
        @Override
        public String text() {
            String count = atMost < Integer.MAX_VALUE ? atLeast + " to " + atMost : "at least " + atLeast;
            return count + " API requests " + decision + code.map(c -> " (" + c + ")").orElse("") + " in the audit log"
                    + " between " + from.toMillis() / 1000.0 + " s and "
                    + (to.toDays() > 300 ? "the end" : to.toMillis() / 1000.0 + " s");
        }
    }

    /**
     * Pushes in the API's durable ledger ({@code STATE/api/pushes.json}, read with the agent's own
     * {@code PushLedger}) in {@code state} ({@code any}: all of them): at least {@code atLeast}, at most
     * {@code atMost}.
     */
    record ApiPushes(String state, int atLeast, int atMost, int line) implements Expectation {
        @Override
        public String text() {
            String count = atMost < Integer.MAX_VALUE ? atLeast + " to " + atMost : "at least " + atLeast;
            return count + " pushes " + (state.equals("any") ? "in all" : state) + " in the API's push ledger";
        }
    }
}
