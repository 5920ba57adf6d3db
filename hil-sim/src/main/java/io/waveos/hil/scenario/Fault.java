package io.waveos.hil.scenario;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One fault on the timeline.
 *
 * @param at       offset from the scenario's start
 * @param service  the target of a {@link FaultKind#SERVICE} fault
 * @param action   what that service is told to do
 * @param everyStart the action also applies to every later start of the service (a crash loop from now on)
 * @param length   how long a freeze, a power cut, a link cut or a full disk lasts; a clock jump's size
 *                 (negative: back)
 * @param argument the bundle kind of a push, the bit-error rate of serial noise, the requests per second
 *                 of API abuse
 * @param cut      for a {@link FaultKind#POWER_CUT} triggered by storage rather than by time: the write
 *                 it falls before (armed at {@code at}); empty for a cut at {@code at}
 * @param line     the line in the scenario file, for messages
 * @param viaApi   a {@link FaultKind#PUSH_BUNDLE} through the agent's API (a signed {@code POST /v1/bundles}
 *                 with the agent's own client) rather than into its inbox
 */
public record Fault(Duration at, FaultKind kind, Optional<String> service, Optional<Scenario.Action> action,
        boolean everyStart, Duration length, String argument, Optional<CutPoint> cut, int line, boolean viaApi) {
    public Fault {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(cut, "cut");
        if (cut.isPresent() && kind != FaultKind.POWER_CUT) {
            throw new IllegalArgumentException("only a power cut can fall at a storage write");
        }
        if (viaApi && kind != FaultKind.PUSH_BUNDLE) {
            throw new IllegalArgumentException("only a push-bundle goes through the API");
        }
        if (at.isNegative()) {
            throw new IllegalArgumentException("at must not be negative");
        }
    }

    /** A fault that does not go through the API. */
    public Fault(Duration at, FaultKind kind, Optional<String> service, Optional<Scenario.Action> action,
            boolean everyStart, Duration length, String argument, Optional<CutPoint> cut, int line) {
        this(at, kind, service, action, everyStart, length, argument, cut, line, false);
    }

    /** A short label for timelines and progress lines. */
    public String label() {
        return switch (kind) {
            case SERVICE -> service.orElse("?") + " " + action.map(a -> a.kind().wire()).orElse("?")
                    + (everyStart ? " (every start)" : "");
            case KILL_AGENT -> "kill -9 agent";
            case FREEZE_AGENT -> "freeze agent " + length.toMillis() + " ms";
            case POWER_CUT -> "power cut " + length.toMillis() + " ms" + cut.map(c -> " at " + c.label()).orElse("");
            case PUSH_BUNDLE -> argument.equals("repeat") ? "push the previous bundle again via the API"
                    : "push " + argument + " bundle" + (viaApi ? " via the API" : "");
            case SERIAL_NOISE -> "serial noise, bit-error rate " + argument + " for " + length.toMillis() + " ms";
            case LINK_CUT -> "Guardian link cut " + length.toMillis() + " ms";
            case CLOCK_JUMP -> "wall clock steps " + (length.isNegative() ? "back " : "forward ")
                    + length.abs().toSeconds() + " s";
            case DISK_FULL -> "disk full " + length.toMillis() + " ms";
            case API_ABUSE -> "API abuse, " + argument + " requests/s for " + length.toMillis() + " ms";
        };
    }
}
