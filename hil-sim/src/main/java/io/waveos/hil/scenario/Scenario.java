package io.waveos.hil.scenario;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One validated scenario: the device, its Guardian, the fault timeline and what must be true of what
 * the agent really did. Times on the timeline are offsets from the scenario's start (the first agent
 * start). Built only by {@link ScenarioLoader}.
 *
 * @param name     the file's base name, how the command line names it
 * @param tiers    the tiers it runs on (1: virtual time in process, 2: real processes)
 * @param duration how long the scenario runs before it is stopped and graded
 */
public record Scenario(String name, String title, String story, Set<Integer> tiers, Duration duration, long seed,
        Device device, Guardian guardian, List<Fault> faults, List<Expectation> expectations, String source) {
    public Scenario {
        Objects.requireNonNull(name, "name");
        tiers = Set.copyOf(tiers);
        faults = List.copyOf(faults);
        expectations = List.copyOf(expectations);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be positive");
        }
    }

    /**
     * The device: its services (all of them fake services) and the agent settings that matter here.
     *
     * @param telemetry the agent's {@code telemetry} section (e.g. {@code sample_interval: 1s})
     * @param evidence  the agent's {@code evidence} section (e.g. {@code min_interval: 0s})
     * @param policy    the text of the policy file passed to the agent ({@code policy.file}), already
     *                  accepted by the agent's own policy loader
     * @param spool     the agent's {@code spool} section (caps and durability, e.g. {@code max_total_size: 1MiB}),
     *                  already accepted by the agent's own configuration loader
     * @param api       present: the agent's local API is on (tier 2 binds it to a free loopback port with keys
     *                  generated per run); its values are the API's {@code limits} (e.g. {@code request_timeout: 2s})
     */
    public record Device(List<ServiceSpec> services, Map<String, String> escalation, Map<String, String> modes,
            Optional<String> updatesDeviceClass, Map<String, String> telemetry, Map<String, String> evidence,
            Optional<String> policy, Map<String, String> spool, Optional<Map<String, String>> api) {
        public Device {
            services = List.copyOf(services);
            escalation = Map.copyOf(escalation);
            modes = Map.copyOf(modes);
            telemetry = Map.copyOf(telemetry);
            evidence = Map.copyOf(evidence);
            Objects.requireNonNull(policy, "policy");
            spool = Map.copyOf(spool);
            api = api.map(Map::copyOf);
        }
    }

    /**
     * One supervised fake service.
     *
     * @param restart restart settings in the scenario's flat form ({@code policy}, {@code backoff_max},
     *                {@code reset_after}, {@code intensity}, {@code within}); absent keys take the agent's
     *                defaults
     * @param onStart what every started process of this service does by itself (e.g. crash after 1 s)
     */
    public record ServiceSpec(String name, boolean essential, boolean allowedInSafeMode, List<String> dependsOn,
            Map<String, String> restart, List<Action> onStart) {
        public ServiceSpec {
            dependsOn = List.copyOf(dependsOn);
            restart = Map.copyOf(restart);
            onStart = List.copyOf(onStart);
        }
    }

    /** What a fake service can be told to do. */
    public enum ActionKind {
        CRASH("crash"), EXIT("exit"), HANG("hang"), LEAK("leak"), SPIN("spin"), FLOOD("flood"), CORRUPT("corrupt");

        private final String wire;

        ActionKind(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    /**
     * One fake-service action.
     *
     * @param after          delay after the process started ({@code on_start}) or after the fault time
     * @param code           the exit code of {@code exit} (and 134, like an abort, for {@code crash})
     * @param bytesPerSecond the growth of {@code leak}
     */
    public record Action(Duration after, ActionKind kind, int code, long bytesPerSecond) {
        public Action {
            Objects.requireNonNull(kind, "kind");
            if (after.isNegative()) {
                throw new IllegalArgumentException("after must not be negative");
            }
        }

        /** The fake service's command-line form, {@code KIND:AFTER_MS:CODE:BYTES_PER_S}. */
        public String wire() {
            return kind.wire() + ":" + after.toMillis() + ":" + code + ":" + bytesPerSecond;
        }
    }

    /**
     * The Guardian: off, or on with its rules (its properties, {@code docs/guardian.md}) and the
     * agent's {@code when_unavailable} choices.
     */
    public record Guardian(boolean enabled, Map<String, String> rules, Map<String, String> whenUnavailable) {
        public Guardian {
            rules = Map.copyOf(rules);
            whenUnavailable = Map.copyOf(whenUnavailable);
        }

        public static Guardian off() {
            return new Guardian(false, Map.of(), Map.of());
        }
    }
}
