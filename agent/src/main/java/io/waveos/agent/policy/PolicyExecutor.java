package io.waveos.agent.policy;

import io.waveos.agent.evidence.Incidents;
import io.waveos.agent.mode.ModeInput;
import io.waveos.agent.platform.ProcessIdentity;
import io.waveos.agent.platform.ProcessPriority;
import io.waveos.agent.platform.ResourceLimits;
import io.waveos.agent.platform.Scheduler;
import io.waveos.agent.platform.Signal;
import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.EventCode;
import io.waveos.agent.telemetry.EventSink;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Performs {@link PolicyCommand}s through ports. A failure of a port is a {@code policy.action_failed}
 * event, never an exception. Throttles are duty cycles: the process group is continued, then stopped
 * after its run fraction of {@link #THROTTLE_PERIOD}, and so on, each step on the loop, until it is
 * released, its process is gone or the service restarted.
 *
 * <p>Loop thread only; scheduler callbacks come back through {@code loop}.
 */
public final class PolicyExecutor {
    /** The period of a throttle's SIGCONT/SIGSTOP cycle. */
    public static final Duration THROTTLE_PERIOD = Duration.ofMillis(500);

    /** What the executor needs from the supervisor and the mode machine, on the loop thread. */
    public interface Services {
        /** The service's current process, when it has one. */
        Optional<ProcessIdentity> process(String service);

        /** Stops the service's process; the supervisor starts it again. */
        void restart(String service, String reason);

        /** A breaker's mode order. */
        void order(ModeInput.PolicyOrder order);
    }

    /** Sends a signal to a process group; false when there is no such group. */
    @FunctionalInterface
    public interface GroupSignals {
        boolean signalGroup(long pgid, Signal signal);
    }

    /** The ports; {@code loop} runs a task on the agent's loop (from any thread). */
    public record Ports(EventSink events, Incidents incidents, ProcessPriority priority, ResourceLimits limits,
            GroupSignals signals, Scheduler scheduler, Consumer<Runnable> loop, Services services) {
    }

    private final Ports ports;
    /** Throttled services and the generation of their current cycle; a stale cycle step stops. */
    private final Map<String, Long> throttles = new HashMap<>();
    private long generation;

    public PolicyExecutor(Ports ports) {
        this.ports = ports;
    }

    /** True while {@code service} is being throttled. */
    public boolean throttling(String service) {
        return throttles.containsKey(service);
    }

    public void run(PolicyCommand command) {
        if (command instanceof PolicyCommand.Emit e) {
            ports.events().emit(e.event());
        } else if (command instanceof PolicyCommand.Report r) {
            ports.incidents().report(r.incident());
        } else if (command instanceof PolicyCommand.OrderMode o) {
            ports.services().order(o.order());
        } else if (command instanceof PolicyCommand.SetPriority p) {
            priority(p);
        } else if (command instanceof PolicyCommand.PlaceInBudget b) {
            place(b);
        } else if (command instanceof PolicyCommand.Throttle t) {
            long gen = ++generation;
            throttles.put(t.service(), gen);
            cycle(t.rule(), t.service(), gen, t.runFraction(), false);
        } else if (command instanceof PolicyCommand.Unthrottle u) {
            if (throttles.remove(u.service()) != null) {
                ports.services().process(u.service()).ifPresent(p -> ports.signals().signalGroup(p.pgid(), Signal.CONT));
            }
        } else if (command instanceof PolicyCommand.Restart r) {
            throttles.remove(r.service());
            ports.services().process(r.service()).ifPresent(p -> ports.signals().signalGroup(p.pgid(), Signal.CONT));
            ports.services().restart(r.service(), r.reason());
        }
    }

    /** One step of a duty cycle: stop (after running) or continue (after stopping), then schedule the next. */
    private void cycle(String rule, String service, long gen, double run, boolean stop) {
        Long current = throttles.get(service);
        if (current == null || current != gen) {
            return;
        }
        Optional<ProcessIdentity> p = ports.services().process(service);
        if (p.isEmpty() || !ports.signals().signalGroup(p.get().pgid(), stop ? Signal.STOP : Signal.CONT)) {
            throttles.remove(service);
            return;
        }
        long periodNanos = THROTTLE_PERIOD.toNanos();
        Duration next = Duration.ofNanos(Math.round(periodNanos * (stop ? 1 - run : run)));
        ports.scheduler().schedule(next, () -> ports.loop().accept(() -> cycle(rule, service, gen, run, !stop)));
    }

    private void priority(PolicyCommand.SetPriority p) {
        Action.PriorityCap cap = p.cap();
        Optional<ProcessIdentity> proc = ports.services().process(cap.service());
        if (proc.isEmpty()) {
            return;
        }
        try {
            if (cap.nice().isPresent()) {
                ports.priority().setNice(proc.get().pgid(), cap.nice().get());
            }
            if (cap.ioClass().isPresent()) {
                ProcessPriority.IoClass c = switch (cap.ioClass().get()) {
                    case BEST_EFFORT -> ProcessPriority.IoClass.BEST_EFFORT;
                    case IDLE -> ProcessPriority.IoClass.IDLE;
                };
                ports.priority().setIoPriority(proc.get().pgid(), c, cap.ioLevel());
            }
        } catch (IOException e) {
            failed(p.rule(), cap.service(), "priority cap", e);
        }
    }

    private void place(PolicyCommand.PlaceInBudget b) {
        Action.Budget budget = b.budget();
        if (ports.limits().unavailable().isPresent()) {
            return; // measured enforcement: the engine's budget ladder
        }
        Optional<ProcessIdentity> proc = ports.services().process(budget.service());
        if (proc.isEmpty()) {
            return;
        }
        try {
            ports.limits().place(budget.service(), proc.get().pid(), budget.memoryBytes(), budget.cpuPermille());
            ports.events().emit(Event.of(EventCode.POLICY_DECISION, b.rule(), "budget of " + budget.service()
                    + " enforced by the kernel (delegated cgroup)", "rule", b.rule(), "action", "budget_cgroup",
                    "outcome", "fired", "service", budget.service()));
        } catch (IOException e) {
            failed(b.rule(), budget.service(), "cgroup budget (measured enforcement continues)", e);
        }
    }

    private void failed(String rule, String service, String what, IOException e) {
        ports.events().emit(Event.of(EventCode.POLICY_ACTION_FAILED, rule, what + " for " + service + " failed: "
                + e.getMessage(), "rule", rule, "service", service));
    }
}
