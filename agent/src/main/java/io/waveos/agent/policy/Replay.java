package io.waveos.agent.policy;

import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.EventCode;
import io.waveos.agent.telemetry.Sample;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a recorded run through a policy, as {@code waveos policy replay} does: samples and events in
 * monotonic order (a sample before an event at the same moment), each {@code service.restart_scheduled}
 * asked of the restart limits as the ladder would have. Every rule is evaluated; what was shadowed is
 * reported as such. Only decisions come out: nothing is enforced. Priority caps and cgroup budgets act
 * on processes and are not replayed.
 */
public final class Replay {
    /** One decision the policy would have made, at the wall time of the input that caused it. */
    public record Decision(Instant wall, Event event) {
        /** {@code <time> <rule> <action> <outcome>: <reason>}. */
        public String line() {
            return io.waveos.bundles.json.Json.time(wall) + " " + event.subject() + " " + event.fields().get("action")
                    + " " + event.fields().get("outcome") + ": " + event.reason();
        }
    }

    private Replay() {
    }

    public static List<Decision> run(Policy policy, RecordedRun run) {
        PolicyEngine engine = new PolicyEngine(policy);
        List<Decision> out = new ArrayList<>();
        List<Sample> samples = run.samples();
        List<RecordedRun.Recorded> events = run.events();
        int s = 0;
        int e = 0;
        while (s < samples.size() || e < events.size()) {
            boolean sampleNext = e >= events.size()
                    || s < samples.size() && samples.get(s).monoNanos() <= events.get(e).monoNanos();
            if (sampleNext) {
                Sample sample = samples.get(s++);
                collect(sample.wall(), engine.onSample(sample), out);
            } else {
                RecordedRun.Recorded r = events.get(e++);
                List<PolicyCommand> commands = new ArrayList<>();
                if (r.event().code() == EventCode.RESTART_SCHEDULED) {
                    // The ladder's own delay (backoff_ms); delay_ms already includes any hold of the recorded policy.
                    Object ladder = r.event().fields().getOrDefault("backoff_ms", r.event().fields().get("delay_ms"));
                    if (ladder instanceof Long ms) {
                        engine.restartDelay(r.event().subject(), r.monoNanos(), Duration.ofMillis(ms), commands);
                    }
                }
                commands.addAll(engine.onEvent(r.event(), r.monoNanos()));
                collect(r.wall(), commands, out);
            }
        }
        return out;
    }

    private static void collect(Instant wall, List<PolicyCommand> commands, List<Decision> out) {
        for (PolicyCommand c : commands) {
            if (c instanceof PolicyCommand.Emit em && em.event().code() == EventCode.POLICY_DECISION) {
                out.add(new Decision(wall, em.event()));
            }
        }
    }
}
