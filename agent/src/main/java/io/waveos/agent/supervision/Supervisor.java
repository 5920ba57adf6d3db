package io.waveos.agent.supervision;

import io.waveos.agent.config.EnvValue;
import io.waveos.agent.config.ReadinessConfig;
import io.waveos.agent.config.ServiceConfig;
import io.waveos.agent.platform.LaunchSpec;
import io.waveos.agent.platform.MonotonicClock;
import io.waveos.agent.platform.ProcessIdentity;
import io.waveos.agent.platform.ProcessLauncher;
import io.waveos.agent.platform.Prober;
import io.waveos.agent.platform.Scheduler;
import io.waveos.agent.platform.Signal;
import io.waveos.agent.telemetry.EventSink;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.DoubleSupplier;

/**
 * Runs the services: feeds inputs to each {@link ServiceMachine}, performs the commands it returns
 * through the ports, and keeps what runs in line with what is wanted.
 *
 * <p>Ordering: a service starts only when every service it depends on is RUNNING (ready); on
 * shutdown a service is stopped only when every service depending on it has stopped. In SAFE mode
 * the services that do not run in SAFE mode are stopped (not disabled) and start again when SAFE
 * ends. A service that ended under its restart policy ({@code never}, or {@code on-failure} after a
 * clean exit) stays down until it is enabled again.
 *
 * <p>Confined to the agent's loop thread; process exits, probe results and timers arrive through
 * the {@link ServiceMailbox}.
 */
public final class Supervisor {
    /** Environment variable naming the service a process belongs to. */
    public static final String SERVICE_ENV = "WAVEOS_SERVICE";
    /** The window of {@link #failuresLastMinute}. */
    public static final Duration ERROR_RATE_WINDOW = Duration.ofMinutes(1);

    private final Map<String, ServiceMachine> machines = new LinkedHashMap<>();
    private ServiceGraph graph;
    /**
     * Services whose definition is being replaced (an update's activation or rollback): the new
     * definition, or empty to remove the service. The swap happens once the old process is gone, so
     * inputs for the old process can never reach the new machine.
     */
    private final Map<String, Optional<ServiceConfig>> pending = new LinkedHashMap<>();
    private final Ports ports;
    /** Services that should run when the mode allows (not finished under their restart policy). */
    private final Set<String> wanted = new HashSet<>();
    /** Services that have been ready, or failed in a way the ladder handled, at least once. */
    private final Set<String> settledOnce = new HashSet<>();
    /** Exits that were failures (non-zero or by a signal, not requested), for the error rate. */
    private final FailureWindow failures = new FailureWindow(ERROR_RATE_WINDOW, 100_000);
    private boolean safeMode;
    private boolean degraded;
    private RunFilter runFilter = RunFilter.CONFIG;
    private RestartGate restartGate = RestartGate.OPEN;
    /** What machines ask before a restart: whatever gate is set when they ask. */
    private final RestartGate gate = (service, now, backoff) -> restartGate.delay(service, now, backoff);
    private boolean shuttingDown;
    private boolean started;

    /**
     * The ports and collaborators the supervisor acts through.
     *
     * @param output where per-service stdout/stderr files go, and their rotation
     * @param random uniform samples in [0, 1) for backoff jitter
     */
    public record Ports(ProcessLauncher launcher, Prober prober, Scheduler scheduler, MonotonicClock clock,
            EventSink events, ServiceMailbox mailbox, ProcessLedger ledger, Escalations escalations,
            LaunchSpec.OutputSpec output, DoubleSupplier random) {
    }

    public Supervisor(List<ServiceConfig> services, Ports ports) {
        this.ports = ports;
        this.graph = new ServiceGraph(services);
        for (ServiceConfig s : graph.startOrder()) {
            machines.put(s.name(), new ServiceMachine(s, ports.random(), gate));
            wanted.add(s.name());
        }
    }

    /**
     * Replaces, adds or removes service definitions at run time (an update activates a slot or rolls
     * back). A running service whose definition changes is stopped with {@code reason} and started
     * from its new definition once its process group is gone; an empty value stops and removes the
     * service; an unknown name is added. Services not named are left alone.
     *
     * @throws IllegalArgumentException when the resulting set has an unknown dependency or a cycle, or
     *     a removed service still has dependents; nothing changes then
     */
    public void redefine(Map<String, Optional<ServiceConfig>> changes, String reason) {
        checkRedefine(changes);
        changes.forEach((name, def) -> {
            ServiceMachine m = machines.get(name);
            if (m == null) {
                def.ifPresent(this::admit);
                return;
            }
            pending.put(name, def);
            wanted.remove(name);
            ServiceState s = m.state();
            if (s == ServiceState.STARTING || s == ServiceState.RUNNING || s == ServiceState.BACKOFF) {
                execute(m, m.step(new ServiceInput.Stop(reason, false), ports.clock().nanos()));
            }
        });
        applyPending();
        reconcile();
    }

    /**
     * Checks that {@link #redefine} would accept {@code changes}: no unknown dependency, no cycle, no
     * removed service that others depend on.
     *
     * @throws IllegalArgumentException naming the problem
     */
    public void checkRedefine(Map<String, Optional<ServiceConfig>> changes) {
        Map<String, ServiceConfig> result = new LinkedHashMap<>();
        for (ServiceMachine m : machines.values()) {
            result.put(m.name(), pending.containsKey(m.name()) ? pending.get(m.name()).orElse(null) : m.config());
        }
        changes.forEach((name, def) -> result.put(name, def.orElse(null)));
        result.values().removeIf(java.util.Objects::isNull);
        new ServiceGraph(List.copyOf(result.values()));
    }

    /** Swaps in the pending definitions of services whose old process is gone. */
    private void applyPending() {
        boolean swapped = false;
        for (var it = pending.entrySet().iterator(); it.hasNext();) {
            var e = it.next();
            ServiceMachine old = machines.get(e.getKey());
            ServiceState s = old.state();
            if (old.process().isPresent() || s == ServiceState.STOPPING || s == ServiceState.STARTING
                    || s == ServiceState.RUNNING) {
                continue;
            }
            it.remove();
            machines.remove(e.getKey());
            settledOnce.remove(e.getKey());
            e.getValue().ifPresent(c -> {
                machines.put(c.name(), new ServiceMachine(c, ports.random(), gate));
                wanted.add(c.name());
            });
            swapped = true;
        }
        if (swapped) {
            resort();
            recordLedger();
        }
    }

    /** Adds a machine for a new service. */
    private void admit(ServiceConfig config) {
        machines.put(config.name(), new ServiceMachine(config, ports.random(), gate));
        wanted.add(config.name());
        resort();
    }

    /** Rebuilds the dependency graph and puts the machines in its start order. */
    private void resort() {
        List<ServiceConfig> all = new java.util.ArrayList<>();
        machines.values().forEach(m -> all.add(m.config()));
        graph = new ServiceGraph(all);
        Map<String, ServiceMachine> old = new LinkedHashMap<>(machines);
        machines.clear();
        for (ServiceConfig s : graph.startOrder()) {
            machines.put(s.name(), old.get(s.name()));
        }
    }

    /** True while a redefinition waits for an old process to stop. */
    public boolean redefining() {
        return !pending.isEmpty();
    }

    /** Starts every service that may run, in dependency order. */
    public void startAll() {
        started = true;
        reconcile();
    }

    /** Handles one input for a service. Inputs for unknown services are ignored. */
    public void deliver(String service, ServiceInput input) {
        ServiceMachine m = machines.get(service);
        if (m == null) {
            return;
        }
        ServiceState before = m.state();
        boolean current = input instanceof ServiceInput.Exited e && e.launch() == m.launches()
                && m.process().isPresent();
        execute(m, m.step(input, ports.clock().nanos()));
        if (input instanceof ServiceInput.Exited e) {
            recordLedger();
            boolean unrequested = before == ServiceState.STARTING || before == ServiceState.RUNNING;
            if (current && unrequested && !e.status().success()) {
                failures.add(ports.clock().nanos());
            }
            if (m.config().essential() && unrequested) {
                ports.escalations().essentialExited(m);
            }
        }
        reconcile();
    }

    /** Enters or leaves SAFE mode: stops, or lets start again, the services that do not run in it. */
    public void setSafeMode(boolean safe) {
        this.safeMode = safe;
        reconcile();
    }

    /** Enters or leaves DEGRADED mode: the {@link RunFilter} decides what may run in it. */
    public void setDegraded(boolean degraded) {
        if (this.degraded == degraded) {
            return;
        }
        this.degraded = degraded;
        reconcile();
    }

    /** Replaces which services may run in SAFE and DEGRADED (a policy's allowed_modes); reconciles. */
    public void setRunFilter(RunFilter filter) {
        this.runFilter = filter;
        reconcile();
    }

    /** Replaces what is asked before each restart (a policy's restart limits). */
    public void setRestartGate(RestartGate gate) {
        this.restartGate = gate;
    }

    /** Begins the graceful stop of everything, dependents first. No service starts after this. */
    public void stopAll() {
        shuttingDown = true;
        reconcile();
    }

    /** SIGKILLs every process group still running (the shutdown budget is exhausted). */
    public void killAll() {
        for (ServiceMachine m : machines.values()) {
            m.process().ifPresent(p -> ports.launcher().signalGroup(p.pgid(), Signal.KILL));
        }
    }

    /** Stops a service and keeps it down until enabled (an escalation rung). */
    public void disable(String service, String reason) {
        deliver(service, new ServiceInput.Stop(reason, true));
    }

    /** Takes every DISABLED service back with a fresh restart history; starts what may run. */
    public void enableAll(String reason) {
        for (ServiceMachine m : machines.values()) {
            if (m.state() == ServiceState.DISABLED) {
                enable(m, reason);
            }
        }
        reconcile();
    }

    /** Takes one service back with a fresh restart history and starts it if it may run. */
    public void enable(String service, String reason) {
        ServiceMachine m = machines.get(service);
        if (m != null) {
            enable(m, reason);
            reconcile();
        }
    }

    private void enable(ServiceMachine m, String reason) {
        wanted.add(m.name());
        execute(m, m.step(new ServiceInput.Enable(reason), ports.clock().nanos()));
    }

    /** True when no service has a live process. */
    public boolean allStopped() {
        return machines.values().stream().allMatch(m -> m.process().isEmpty());
    }

    /**
     * True once every service that may run has become ready or failed in a way the ladder handled
     * (backing off, disabled, finished): the moment to tell systemd READY=1.
     */
    public boolean startupSettled() {
        return machines.values().stream().allMatch(m -> !mayRun(m) || settledOnce.contains(m.name()));
    }

    /** The services in start order. */
    /**
     * Service exits in the last minute of monotonic time that were failures: a non-zero exit code or a
     * signal while STARTING or RUNNING. Exits after a stop request (shutdown, SAFE mode, disable) are
     * not counted. Saturates at 100 000.
     */
    public int failuresLastMinute() {
        return failures.count(ports.clock().nanos());
    }

    public List<ServiceMachine> services() {
        return List.copyOf(machines.values());
    }

    public Optional<ServiceMachine> service(String name) {
        return Optional.ofNullable(machines.get(name));
    }

    private boolean mayRun(ServiceMachine m) {
        return runFilter.mayRun(m.config(), safeMode, degraded);
    }

    private void reconcile() {
        if (!started) {
            return;
        }
        applyPending();
        boolean changed = true;
        while (changed) {
            changed = false;
            for (ServiceMachine m : machines.values()) {
                changed |= shuttingDown ? reconcileStopping(m) : reconcileRunning(m);
            }
        }
    }

    private boolean reconcileRunning(ServiceMachine m) {
        ServiceState s = m.state();
        switch (s) {
            case RUNNING, BACKOFF, DISABLED -> settledOnce.add(m.name());
            case STOPPED, STARTING, STOPPING -> { }
        }
        if (!mayRun(m)) {
            if (s == ServiceState.STARTING || s == ServiceState.RUNNING || s == ServiceState.BACKOFF) {
                execute(m, m.step(new ServiceInput.Stop(runFilter.why(safeMode, degraded), false),
                        ports.clock().nanos()));
                return true;
            }
            return false;
        }
        if (s == ServiceState.STOPPED && wanted.contains(m.name()) && dependenciesReady(m)) {
            String reason = m.config().dependsOn().isEmpty() ? (m.launches() == 0 ? "agent start" : "may run again")
                    : "dependencies ready: " + String.join(", ", m.config().dependsOn());
            execute(m, m.step(new ServiceInput.Start(reason), ports.clock().nanos()));
            return m.state() != ServiceState.STOPPED;
        }
        return false;
    }

    private boolean dependenciesReady(ServiceMachine m) {
        for (String d : m.config().dependsOn()) {
            if (machines.get(d).state() != ServiceState.RUNNING) {
                return false;
            }
        }
        return true;
    }

    private boolean reconcileStopping(ServiceMachine m) {
        ServiceState s = m.state();
        boolean live = s == ServiceState.STARTING || s == ServiceState.RUNNING || s == ServiceState.BACKOFF;
        if (!live) {
            return false;
        }
        for (String dependent : graph.dependentsOf(m.name())) {
            ServiceMachine d = machines.get(dependent);
            if (d.process().isPresent()) {
                return false;
            }
        }
        execute(m, m.step(new ServiceInput.Stop("agent shutdown", false), ports.clock().nanos()));
        return true;
    }

    private void execute(ServiceMachine m, List<ServiceCommand> commands) {
        for (ServiceCommand c : commands) {
            if (c instanceof ServiceCommand.Emit e) {
                ports.events().emit(e.event());
            } else if (c instanceof ServiceCommand.Launch) {
                launch(m);
            } else if (c instanceof ServiceCommand.SignalGroup sg) {
                ports.launcher().signalGroup(sg.pgid(), sg.signal());
            } else if (c instanceof ServiceCommand.ArmTimer t) {
                String name = m.name();
                ports.scheduler().schedule(t.delay(),
                        () -> ports.mailbox().post(name, new ServiceInput.TimerFired(t.kind(), t.token())));
            } else if (c instanceof ServiceCommand.Probe p) {
                probe(m, p.token());
            } else if (c instanceof ServiceCommand.Finished) {
                wanted.remove(m.name());
                settledOnce.add(m.name());
            } else if (c instanceof ServiceCommand.Escalate esc) {
                settledOnce.add(m.name());
                ports.escalations().intensityExceeded(m, esc.reason());
            }
        }
    }

    private void launch(ServiceMachine m) {
        ServiceConfig cfg = m.config();
        Map<String, String> env = new LinkedHashMap<>();
        for (Map.Entry<String, EnvValue> e : cfg.environment().entrySet()) {
            env.put(e.getKey(), e.getValue().value());
        }
        // Lets operators (and the crash-only sweep's tests) attribute a process to its service.
        env.put(SERVICE_ENV, cfg.name());
        LaunchSpec spec = new LaunchSpec(cfg.name(), cfg.command(), env, cfg.workingDirectory(), cfg.user(),
                cfg.group(), ports.output());
        String name = cfg.name();
        long launch = m.launches();
        ServiceInput result;
        try {
            ProcessLauncher.RunningProcess p = ports.launcher().start(spec,
                    status -> ports.mailbox().post(name, new ServiceInput.Exited(launch, status)));
            result = new ServiceInput.Launched(p.identity());
        } catch (IOException e) {
            result = new ServiceInput.LaunchFailed(String.valueOf(e.getMessage()));
        }
        execute(m, m.step(result, ports.clock().nanos()));
        if (result instanceof ServiceInput.Launched) {
            recordLedger();
        }
    }

    private void recordLedger() {
        Map<String, ProcessIdentity> running = new LinkedHashMap<>();
        for (ServiceMachine s : machines.values()) {
            s.process().ifPresent(p -> running.put(s.name(), p));
        }
        ports.ledger().record(running);
    }

    private void probe(ServiceMachine m, long token) {
        ReadinessConfig r = m.config().ready();
        Prober.Probe probe = switch (r.kind()) {
            case EXEC -> new Prober.Exec(r.exec());
            case TCP -> new Prober.Tcp(r.tcpHost(), r.tcpPort());
            case HTTP -> new Prober.Http(r.http());
            case STARTED -> throw new IllegalStateException("no probe for a 'started' readiness");
        };
        // One attempt may not outlast the overall readiness timeout, nor 5 s.
        Duration attempt = r.timeout().compareTo(MAX_ATTEMPT) < 0 ? r.timeout() : MAX_ATTEMPT;
        String name = m.name();
        ports.prober().probe(probe, attempt, outcome -> ports.mailbox().post(name,
                new ServiceInput.ProbeDone(token, outcome.ready(), outcome.detail())));
    }

    private static final Duration MAX_ATTEMPT = Duration.ofSeconds(5);
}
