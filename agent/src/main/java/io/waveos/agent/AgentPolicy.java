package io.waveos.agent;

import io.waveos.agent.evidence.Incidents;
import io.waveos.agent.mode.ModeInput;
import io.waveos.agent.platform.MonotonicClock;
import io.waveos.agent.platform.ProcessIdentity;
import io.waveos.agent.platform.ProcessPriority;
import io.waveos.agent.platform.ResourceLimits;
import io.waveos.agent.platform.Scheduler;
import io.waveos.agent.policy.Action;
import io.waveos.agent.policy.Policy;
import io.waveos.agent.policy.PolicyCommand;
import io.waveos.agent.policy.PolicyEngine;
import io.waveos.agent.policy.PolicyExecutor;
import io.waveos.agent.policy.PolicySource;
import io.waveos.agent.policy.Rule;
import io.waveos.agent.supervision.RunFilter;
import io.waveos.agent.supervision.ServiceInput;
import io.waveos.agent.supervision.ServiceMachine;
import io.waveos.agent.supervision.Supervisor;
import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.EventCode;
import io.waveos.agent.telemetry.Sample;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Connects the policy engine to the agent: events and samples in, commands out through the
 * {@link PolicyExecutor}; the supervisor's restart gate and run filter; loading, and reloading when
 * the configured config bundle commits ({@code update.committed}). A refused policy is a
 * {@code policy.rejected} event and the policy in force stays.
 *
 * <p>Loop thread only. Commands are performed in order through one queue, so an event the executor
 * emits (and the engine sees again) never nests a second round of commands inside the first.
 */
public final class AgentPolicy {
    private final Agent agent;
    private final MonotonicClock clock;
    private final Optional<PolicySource> source;
    private final PolicyExecutor executor;
    private PolicyEngine engine = new PolicyEngine(Policy.none());
    /** Services named by priority caps and budgets, and the process each was last applied to. */
    private final Map<String, ProcessIdentity> applied = new HashMap<>();
    private Set<String> capped = Set.of();
    private final ArrayDeque<PolicyCommand> pending = new ArrayDeque<>();
    private boolean draining;

    /**
     * The ports the policy acts through.
     *
     * @param loop runs a task on the agent's loop (from any thread)
     */
    public record Ports(Incidents incidents, ProcessPriority priority, ResourceLimits limits,
            PolicyExecutor.GroupSignals signals, Scheduler scheduler, Consumer<Runnable> loop) {
    }

    /** Registers with {@code agent} (before {@link Agent#start}): an event observer, the restart gate. */
    public AgentPolicy(Agent agent, MonotonicClock clock, Optional<PolicySource> source, Ports ports) {
        this.agent = agent;
        this.clock = clock;
        this.source = source;
        this.executor = new PolicyExecutor(new PolicyExecutor.Ports(agent.sink(), ports.incidents(),
                ports.priority(), ports.limits(), ports.signals(), ports.scheduler(), ports.loop(),
                new Services(agent.supervisor())));
        agent.observeEvents(this::onEvent);
        agent.supervisor().setRestartGate((service, now, backoff) -> {
            List<PolicyCommand> out = new ArrayList<>();
            Duration d = engine.restartDelay(service, now, backoff, out);
            perform(out);
            return d;
        });
    }

    /** Loads the configured policy (before {@link Agent#start}); a refusal keeps the empty policy. */
    public void load() {
        source.ifPresent(s -> accept(s.load()));
    }

    /** The policy in force. */
    public Policy policy() {
        return engine.policy();
    }

    /** The sampler's entry point: one round of figures (on the loop thread). */
    public void onSample(Sample sample) {
        checkProcesses();
        perform(engine.onSample(sample));
    }

    /** Every event the agent emits (an {@link Agent#observeEvents} observer). */
    void onEvent(Event event) {
        if (event.code() == EventCode.UPDATE_COMMITTED && source.flatMap(PolicySource::bundle)
                .filter(event.subject()::equals).isPresent()) {
            accept(source.orElseThrow().load());
        }
        checkProcesses();
        perform(engine.onEvent(event, clock.nanos()));
    }

    /** Puts {@code next} in force: the old policy's throttles end, caps apply to running processes again. */
    public void install(Policy next) {
        perform(engine.release());
        engine = new PolicyEngine(next);
        Set<String> named = new LinkedHashSet<>();
        for (Rule r : next.rules()) {
            if (r.action() instanceof Action.PriorityCap c) {
                named.add(c.service());
            } else if (r.action() instanceof Action.Budget b) {
                named.add(b.service());
            }
        }
        capped = Set.copyOf(named);
        applied.clear();
        agent.supervisor().setRunFilter(engine.runFilter().orElse(RunFilter.CONFIG));
        agent.sink().emit(Event.of(EventCode.POLICY_LOADED, "policy", "policy in force: " + next.rules().size()
                + " rules", "source", next.source(), "policy_version", next.version(), "sha256", next.sha256(),
                "rules", next.rules().size(), "shadowed", next.rules().stream().filter(Rule::shadow).count()));
        checkProcesses();
    }

    private void accept(PolicySource.Result result) {
        if (result instanceof PolicySource.Found f) {
            install(f.policy());
        } else if (result instanceof PolicySource.Refused r) {
            StringBuilder b = new StringBuilder();
            r.problems().forEach(p -> b.append(b.length() > 0 ? "; " : "").append(p));
            agent.sink().emit(Event.of(EventCode.POLICY_REJECTED, "policy", "policy refused, the policy in force "
                    + "(version " + engine.policy().version() + ") stays: " + b, "source", r.source(), "problems",
                    r.problems().size(), "first_line", r.problems().isEmpty() ? 0 : r.problems().get(0).line()));
        } else if (result instanceof PolicySource.Absent a) {
            agent.sink().emit(Event.of(EventCode.POLICY_LOADED, "policy", "no policy: " + a.why(), "rules", 0));
        }
    }

    /** Applies caps and budgets to every new process of a service that has them. */
    private void checkProcesses() {
        for (String service : capped) {
            Optional<ProcessIdentity> now = agent.supervisor().service(service).flatMap(ServiceMachine::process);
            if (now.isPresent() && !now.get().equals(applied.get(service))) {
                applied.put(service, now.get());
                perform(engine.onProcessStarted(service));
            }
        }
    }

    private void perform(List<PolicyCommand> commands) {
        pending.addAll(commands);
        if (draining) {
            return;
        }
        draining = true;
        try {
            while (!pending.isEmpty()) {
                executor.run(pending.poll());
            }
        } finally {
            draining = false;
        }
    }

    /** The executor's view of the supervisor and the mode machine. */
    private final class Services implements PolicyExecutor.Services {
        private final Supervisor supervisor;

        Services(Supervisor supervisor) {
            this.supervisor = supervisor;
        }

        @Override
        public Optional<ProcessIdentity> process(String service) {
            return supervisor.service(service).flatMap(ServiceMachine::process);
        }

        @Override
        public void restart(String service, String reason) {
            supervisor.deliver(service, new ServiceInput.Stop(reason, false));
        }

        @Override
        public void order(ModeInput.PolicyOrder order) {
            agent.policyOrdered(order);
        }
    }
}
