package io.waveos.agent.policy;

import io.waveos.agent.mode.Mode;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a rule does. {@link Notify} and {@link Breaker} are triggered by the rule's condition; the
 * others are standing: they apply all the time (a budget's ladder is driven by the service's own
 * figures).
 */
public sealed interface Action {
    /** True when the rule's {@code when} condition fires this action. */
    boolean triggered();

    /** The key that names this action in the policy file. */
    String keyword();

    /** An event plus an evidence pack ({@code policy_notify}) naming {@code services}. */
    record Notify(List<String> services) implements Action {
        public Notify {
            services = List.copyOf(services);
        }

        @Override
        public boolean triggered() {
            return true;
        }

        @Override
        public String keyword() {
            return "notify";
        }
    }

    /**
     * A circuit breaker. Closed: when the condition becomes true it trips (open): orders {@code mode}
     * for at least {@code probeAfter} and reports a {@code breaker_trip} incident. After
     * {@code probeAfter} it is half-open: the mode machine lets the device return to NORMAL by its
     * usual rules while the breaker watches; the condition true again trips it again, the condition
     * false for {@code closeAfter} closes it (hysteresis).
     */
    record Breaker(Mode mode, Duration probeAfter, Duration closeAfter) implements Action {
        public Breaker {
            Objects.requireNonNull(mode, "mode");
            if (mode == Mode.NORMAL) {
                throw new IllegalArgumentException("a breaker trips into safe or degraded");
            }
            if (probeAfter.isNegative() || probeAfter.isZero() || closeAfter.isNegative() || closeAfter.isZero()) {
                throw new IllegalArgumentException("probe_after and close_after must be positive");
            }
        }

        @Override
        public boolean triggered() {
            return true;
        }

        @Override
        public String keyword() {
            return "breaker";
        }
    }

    /** At most {@code max} restarts of {@code service} by the restart ladder within any {@code per}. */
    record RestartLimit(String service, int max, Duration per) implements Action {
        public RestartLimit {
            Objects.requireNonNull(service, "service");
            if (max < 1 || per.isNegative() || per.isZero()) {
                throw new IllegalArgumentException("restart_limit needs max >= 1 and a positive per");
            }
        }

        @Override
        public boolean triggered() {
            return false;
        }

        @Override
        public String keyword() {
            return "restart_limit";
        }
    }

    /** The I/O scheduling class a priority cap may set (unprivileged classes only). */
    enum IoClass { BEST_EFFORT, IDLE }

    /**
     * Caps the CPU and I/O priority of every process of {@code service}: nice at least {@code nice}
     * (0 to 19), and the I/O class (with a level 0 to 7 for best effort).
     */
    record PriorityCap(String service, Optional<Integer> nice, Optional<IoClass> ioClass, int ioLevel)
            implements Action {
        public PriorityCap {
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(nice, "nice");
            Objects.requireNonNull(ioClass, "ioClass");
            if (nice.isPresent() && (nice.get() < 0 || nice.get() > 19)) {
                throw new IllegalArgumentException("nice must be 0 to 19 (a cap only lowers priority)");
            }
            if (ioLevel < 0 || ioLevel > 7) {
                throw new IllegalArgumentException("io level must be 0 to 7");
            }
            if (nice.isEmpty() && ioClass.isEmpty()) {
                throw new IllegalArgumentException("priority needs nice, io, or both");
            }
        }

        @Override
        public boolean triggered() {
            return false;
        }

        @Override
        public String keyword() {
            return "priority";
        }
    }

    /**
     * A resource budget for {@code service}. With a delegated cgroup v2 the kernel enforces it
     * ({@code memory.max}, {@code cpu.max}); otherwise it is measured: over budget for
     * {@code warnAfter} warns, CPU over budget for {@code throttleAfter} throttles the process group
     * with a SIGSTOP/SIGCONT duty cycle, over budget for {@code restartAfter} restarts the service.
     */
    record Budget(String service, Optional<Long> memoryBytes, Optional<Integer> cpuPermille, Duration warnAfter,
            Duration throttleAfter, Duration restartAfter) implements Action {
        public Budget {
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(memoryBytes, "memoryBytes");
            Objects.requireNonNull(cpuPermille, "cpuPermille");
            if (memoryBytes.isEmpty() && cpuPermille.isEmpty()) {
                throw new IllegalArgumentException("budget needs memory, cpu, or both");
            }
            if (memoryBytes.isPresent() && memoryBytes.get() <= 0 || cpuPermille.isPresent() && cpuPermille.get() <= 0) {
                throw new IllegalArgumentException("budget limits must be above 0");
            }
            if (warnAfter.isNegative() || throttleAfter.compareTo(warnAfter) < 0
                    || restartAfter.compareTo(throttleAfter) < 0) {
                throw new IllegalArgumentException("budget needs warn_after <= throttle_after <= restart_after");
            }
        }

        @Override
        public boolean triggered() {
            return false;
        }

        @Override
        public String keyword() {
            return "budget";
        }
    }

    /**
     * Which services may run in DEGRADED and in SAFE. Essential services always run. In DEGRADED only
     * those listed in {@code degraded} run (every service when the key is absent); in SAFE those
     * {@code allowed_in_safe_mode} in the config and those listed in {@code safe} run.
     */
    record AllowedModes(Optional<List<String>> degraded, List<String> safe) implements Action {
        public AllowedModes {
            degraded = degraded.map(List::copyOf);
            safe = List.copyOf(safe);
        }

        @Override
        public boolean triggered() {
            return false;
        }

        @Override
        public String keyword() {
            return "allowed_modes";
        }
    }
}
