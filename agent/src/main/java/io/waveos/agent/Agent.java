package io.waveos.agent;

import io.waveos.agent.companion.Approvals;
import io.waveos.agent.companion.GuardianLink;
import io.waveos.agent.companion.HealthSampler;
import io.waveos.agent.companion.NoGuardian;
import io.waveos.agent.config.AgentConfig;
import io.waveos.agent.config.CompanionConfig.Approval;
import io.waveos.agent.mode.Mode;
import io.waveos.agent.mode.ModeCommand;
import io.waveos.agent.mode.ModeInput;
import io.waveos.agent.mode.ModeMachine;
import io.waveos.agent.platform.EventLoop;
import io.waveos.agent.platform.LaunchSpec;
import io.waveos.agent.platform.MonotonicClock;
import io.waveos.agent.platform.ProcessLauncher;
import io.waveos.agent.platform.SafeModeLine;
import io.waveos.agent.platform.Prober;
import io.waveos.agent.platform.Reboot;
import io.waveos.agent.platform.Scheduler;
import io.waveos.agent.platform.ServiceNotifier;
import io.waveos.agent.platform.WatchdogDevice;
import io.waveos.agent.supervision.Escalations;
import io.waveos.agent.supervision.OrphanSweep;
import io.waveos.agent.supervision.ProcessLedger;
import io.waveos.agent.supervision.ServiceMachine;
import io.waveos.agent.supervision.Supervisor;
import io.waveos.agent.watchdog.WatchdogKicker;
import io.waveos.agent.update.SupervisorHost;
import io.waveos.agent.update.Updater;
import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.EventCode;
import io.waveos.agent.telemetry.EventSink;
import io.waveos.agent.telemetry.Sample;
import io.waveos.agent.evidence.Incidents;
import io.waveos.companion.proto.Heartbeat;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

/**
 * The agent's state and its reactions, owned by the loop thread: supervisor, mode machine, orphan
 * sweep, watchdog kicks and graceful shutdown.
 *
 * <p>Lifecycle: {@link #start} sweeps orphans of the previous generation, then starts the services;
 * READY=1 goes to systemd once startup has settled; {@link LoopEvent.Shutdown} stops services in
 * reverse dependency order within the shutdown budget, then {@link Hooks#finished} runs once.
 */
public final class Agent implements Escalations {
    /** How often orphans of the previous generation are re-checked while they stop. */
    static final Duration ORPHAN_POLL = Duration.ofMillis(50);
    /** Routine events are fsynced at most this long after they were written. */
    static final Duration FLUSH_INTERVAL = Duration.ofSeconds(1);

    private final AgentConfig config;
    private final Ports ports;
    private final Hooks hooks;
    /**
     * The event sink the agent's parts use: the log, plus arming the flush timer when a routine
     * (not yet fsynced) event was written. An idle agent therefore has no flush wake-ups.
     */
    private final EventSink events;
    private boolean flushArmed;
    private final Supervisor supervisor;
    private final ModeMachine modes;
    private final OrphanSweep orphans;
    private boolean servicesStarted;
    private boolean readySent;
    private boolean shuttingDown;
    private boolean finishing;
    private boolean finished;
    private final WatchdogKicker watchdog;
    private final AgentCompanion companion;
    private final ControlAnswers control;

    /** The ports the agent acts through. */
    public record Ports(ProcessLauncher launcher, Prober prober, Scheduler scheduler, MonotonicClock clock,
            EventSink events, EventLoop<LoopEvent> loop, ProcessLedger ledger, Reboot reboot,
            Optional<WatchdogDevice> watchdog, ServiceNotifier notifier, DoubleSupplier random,
            Approvals approvals) {
        /** Ports without a Guardian. */
        public Ports(ProcessLauncher launcher, Prober prober, Scheduler scheduler, MonotonicClock clock,
                EventSink events, EventLoop<LoopEvent> loop, ProcessLedger ledger, Reboot reboot,
                Optional<WatchdogDevice> watchdog, ServiceNotifier notifier, DoubleSupplier random) {
            this(launcher, prober, scheduler, clock, events, loop, ledger, reboot, watchdog, notifier, random,
                    new NoGuardian());
        }
    }

    /** What the composition root does around the agent. */
    public interface Hooks {
        /** fsync the event log (routine events are only written, not synced, as they happen). */
        void flushEvents();

        /** Record and fsync the reboot intent; called before the reboot port. */
        void recordRebootIntent(String reason) throws IOException;

        /** Shutdown completed: write the clean-shutdown marker and stop the loop. */
        void finished();
    }

    public Agent(AgentConfig config, Ports ports, Hooks hooks) {
        this.config = config;
        this.ports = ports;
        this.hooks = hooks;
        this.events = event -> {
            ports.events().emit(event);
            for (Consumer<Event> o : observers) {
                o.accept(event);
            }
            if (!event.code().durable() && !flushArmed) {
                flushArmed = true;
                every(FLUSH_INTERVAL, new LoopEvent.FlushTick());
            }
        };
        // Output files are kept when the configuration asks for them (an output: section) or the spool is off.
        LaunchSpec.OutputSpec output = new LaunchSpec.OutputSpec(config.paths().logs().resolve("services"),
                config.output().maxFileBytes(), config.output().keepFiles(),
                config.spool().keepOutputFiles() || !config.spool().enabled());
        this.supervisor = new Supervisor(config.services(), new Supervisor.Ports(ports.launcher(), ports.prober(),
                ports.scheduler(), ports.clock(), this.events,
                (service, input) -> ports.loop().submit(new LoopEvent.ForService(service, input)), ports.ledger(),
                this, output, ports.random()));
        this.modes = new ModeMachine(config.escalation(), config.modes(), ports.approvals().gatesSafeExit());
        this.orphans = new OrphanSweep(ports.launcher());
        this.watchdog = new WatchdogKicker(ports.watchdog(), ports.notifier(), config.watchdog().kickInterval(), events);
        this.companion = new AgentCompanion(ports, supervisor, modes::mode, this::restartsTotal);
        this.control = new ControlAnswers(supervisor, modes::mode, () -> shuttingDown,
                operator -> runMode(modes.step(new ModeInput.OperatorClear(operator))), () -> updater);
    }

    private Optional<Updater> updater = Optional.empty();

    private final List<Consumer<Event>> observers = new ArrayList<>();

    /**
     * Adds an observer of every event the agent emits (policy event conditions, error rates,
     * evidence triggers), called on the loop thread after the event was written, in order of
     * registration. Register before {@link #start}; an observer must not block.
     */
    public void observeEvents(Consumer<Event> observer) {
        observers.add(observer);
    }

    private Optional<AgentTelemetry> telemetry = Optional.empty();
    private final List<Consumer<Sample>> sampleListeners = new ArrayList<>();

    /**
     * Attaches telemetry and evidence (before {@link #start}): sampling starts with the agent, events
     * feed its tallies and incident triggers.
     */
    public void attachTelemetry(AgentTelemetry t) {
        this.telemetry = Optional.of(t);
        t.bind(events);
        observers.add(t::observe);
    }

    /**
     * Adds a listener of every telemetry sample (the policy engine), called on the loop thread right
     * after each sampling round, in order of registration. Register before {@link #start}; a listener
     * must not block. Never called when telemetry is not attached or is disabled.
     */
    public void onSamples(Consumer<Sample> listener) {
        sampleListeners.add(listener);
    }

    /** Where capabilities report incidents for evidence packs (a no-op without telemetry). */
    public Incidents incidents() {
        return telemetry.map(AgentTelemetry::incidents).orElse(incident -> { });
    }

    private void sampleTick(long dueNanos) {
        telemetry.ifPresent(t -> {
            Sample s = t.sampleTick(dueNanos, AgentTelemetry.Facts.of(supervisor.services(), ports.loop().backlog(),
                    updater.flatMap(Updater::inboxDepth), spoolFigures.get()));
            sampleListeners.forEach(l -> l.accept(s));
        });
    }

    /**
     * The agent's event sink: the log, then every observer. Capabilities built outside the agent (the
     * updater, the Guardian link) emit through it so that policy conditions and evidence triggers see
     * their events too. Loop thread only.
     */
    public EventSink sink() {
        return events;
    }

    private java.util.function.Supplier<Optional<io.waveos.agent.telemetry.SpoolFigures>> spoolFigures =
            Optional::empty;

    /** Where telemetry reads the log spool's figures (before {@link #start}); none without a spool. */
    public void attachSpoolFigures(java.util.function.Supplier<Optional<io.waveos.agent.telemetry.SpoolFigures>> f) {
        this.spoolFigures = f;
    }

    /** Attaches the update capability (before {@link #start}); it starts with the agent. */
    public void attachUpdater(Updater u) {
        this.updater = Optional.of(u);
    }

    /** The approvals the agent asks (the Guardian link, or the local policy without one). */
    public Approvals approvals() {
        return ports.approvals();
    }

    /** What the update capability may do to the services, on the loop thread. */
    public Updater.Host updateHost() {
        return new SupervisorHost(supervisor, () -> modes.mode() == Mode.SAFE, () -> shuttingDown);
    }

    /**
     * Connects the Guardian's safe-mode line (before {@link #start}). It is read at start, before any
     * service starts, and then every second on the loop; an assertion enters SAFE through the mode
     * machine, which holds SAFE while the line stays asserted.
     */
    public void attachSafeModeLine(SafeModeLine line) {
        companion.attachSafeModeLine(line, events);
    }

    private void pollSafeLine() {
        companion.pollSafeLine(asserted -> runMode(modes.step(new ModeInput.SafeModeLine(asserted))));
    }

    /** Connects the Guardian link (before {@link #start}); its ticks run on the loop from then on. */
    public void attachGuardian(GuardianLink link) {
        companion.attachGuardian(link);
    }

    /** This agent's heartbeat for the Guardian: built on the loop, so a hung loop sends none. */
    public Heartbeat heartbeat() {
        return companion.heartbeat();
    }

    /**
     * The agent's figures for a health report, from loop-owned state: restarts, failed exits in the
     * last minute, and the depths of the loop's backlog ({@code event_loop}) and of the approval requests
     * waiting for the Guardian ({@code guardian_link}, present when a Guardian is attached).
     */
    public HealthSampler.AgentFigures healthFigures() {
        return companion.healthFigures();
    }

    /** Restarts since start, summed over services (each launch after a service's first). */
    public long restartsTotal() {
        return supervisor.services().stream().mapToLong(m -> Math.max(0, m.launches() - 1)).sum();
    }

    /** The Guardian link, when one is attached (loop thread). */
    public Optional<GuardianLink> guardian() {
        return companion.guardian();
    }

    /** True once shutdown began (loop thread). */
    public boolean shuttingDown() {
        return shuttingDown;
    }

    public Supervisor supervisor() {
        return supervisor;
    }

    public Mode mode() {
        return modes.mode();
    }

    /**
     * Starts the agent's work. {@code leftovers} are the previous generation's processes (from the
     * process ledger and the environment marker); they are stopped before any service starts.
     */
    public void start(List<OrphanSweep.Candidate> leftovers) {
        emitAll(orphans.begin(leftovers, ports.clock().nanos()));
        updater.ifPresent(Updater::start);
        telemetry.ifPresent(AgentTelemetry::start);
        companion.start();
        watchdogTick();
        // Before any service starts: an asserted line means the device starts in SAFE.
        pollSafeLine();
        if (orphans.done()) {
            startServices();
        } else {
            every(ORPHAN_POLL, new LoopEvent.OrphanCheck());
        }
    }

    /** Handles one loop event. */
    public void handle(LoopEvent event) {
        if (finished) {
            return;
        }
        if (event instanceof LoopEvent.Start s) {
            start(s.leftovers());
        } else if (event instanceof LoopEvent.ForService f) {
            supervisor.deliver(f.service(), f.input());
        } else if (event instanceof LoopEvent.ModeTimerFired t) {
            runMode(modes.step(new ModeInput.TimerFired(t.timer(), t.token())));
        } else if (event instanceof LoopEvent.WatchdogTick) {
            watchdogTick();
        } else if (event instanceof LoopEvent.FlushTick) {
            flushArmed = false;
            hooks.flushEvents();
        } else if (event instanceof LoopEvent.OrphanCheck) {
            orphanCheck();
        } else if (event instanceof LoopEvent.Shutdown s) {
            beginShutdown(s.reason());
        } else if (event instanceof LoopEvent.ShutdownDeadline) {
            if (!supervisor.allStopped()) {
                events.emit(Event.of(EventCode.AGENT_STOPPING, "agent",
                        "shutdown budget of " + config.shutdown().budget().toMillis() + " ms spent; killing what is left"));
                supervisor.killAll();
            }
        } else if (event instanceof LoopEvent.OperatorClear o) {
            runMode(modes.step(new ModeInput.OperatorClear(o.operator())));
        } else if (event instanceof LoopEvent.CompanionBytes b) {
            companion.onBytes(b.bytes());
        } else if (event instanceof LoopEvent.CompanionTick t) {
            companion.tick(t.dueNanos());
        } else if (event instanceof LoopEvent.SafeLinePoll) {
            pollSafeLine();
        } else if (event instanceof LoopEvent.CompanionClosed c) {
            companion.closed(c.reason());
        } else if (event instanceof LoopEvent.ForUpdater u) {
            updater.ifPresent(up -> up.handle(u.input()));
        } else if (event instanceof LoopEvent.ForPolicy p) {
            p.step().run();
        } else if (event instanceof LoopEvent.ForApi a) {
            a.step().run();
        } else if (event instanceof LoopEvent.Emit e) {
            events.emit(e.event());
        } else if (event instanceof LoopEvent.Control c) {
            if (c.request().equals("evidence export")) {
                AgentTelemetry.export(telemetry, events, c); // answered when the pack is written
            } else {
                c.reply().complete(control.answer(c.request(), c.operator()));
            }
        } else if (event instanceof LoopEvent.SampleTick t) {
            sampleTick(t.dueNanos());
        } else if (event instanceof LoopEvent.MetricsWriteTick) {
            telemetry.ifPresent(AgentTelemetry::writeTick);
        } else if (event instanceof LoopEvent.EvidenceTick) {
            telemetry.ifPresent(AgentTelemetry::evidenceTick);
        }
        afterEvent();
    }

    private void afterEvent() {
        if (servicesStarted && !readySent && !shuttingDown && supervisor.startupSettled()) {
            readySent = true;
            ports.notifier().notify("READY=1");
            events.emit(Event.of(EventCode.NOTIFY_READY, "agent", "startup settled: every service is ready "
                    + "or handled by the restart ladder", "services", String.join(",", describe())));
        }
        if (shuttingDown && supervisor.allStopped()) {
            finish();
        }
    }

    private List<String> describe() {
        List<String> out = new ArrayList<>();
        for (ServiceMachine m : supervisor.services()) {
            out.add(m.name() + "=" + m.state());
        }
        return out;
    }

    private void orphanCheck() {
        emitAll(orphans.check(ports.clock().nanos()));
        if (orphans.done()) {
            if (!servicesStarted && !shuttingDown) {
                startServices();
            }
        } else {
            every(ORPHAN_POLL, new LoopEvent.OrphanCheck());
        }
    }

    private void startServices() {
        servicesStarted = true;
        supervisor.startAll();
    }

    private void watchdogTick() {
        if (shuttingDown && finished) {
            return;
        }
        watchdog.kick();
        every(watchdog.interval(), new LoopEvent.WatchdogTick());
    }

    private void every(Duration d, LoopEvent e) {
        ports.scheduler().schedule(d, () -> ports.loop().submit(e));
    }

    private void beginShutdown(String reason) {
        if (shuttingDown) {
            return;
        }
        shuttingDown = true;
        ports.notifier().notify("STOPPING=1");
        events.emit(Event.of(EventCode.AGENT_STOPPING, "agent", reason, "budget_ms",
                config.shutdown().budget().toMillis()));
        ports.scheduler().schedule(config.shutdown().budget(),
                () -> ports.loop().submit(new LoopEvent.ShutdownDeadline()));
        supervisor.stopAll();
    }

    private void finish() {
        if (finishing) {
            return;
        }
        finishing = true;
        if (!watchdog.hasDevice()) {
            completeFinish(false);
            return;
        }
        ports.approvals().ask(Approval.WATCHDOG_DISARM, "clean shutdown", d -> completeFinish(d.approved()));
    }

    /**
     * The last steps of a clean shutdown. A refused disarm leaves the hardware watchdog armed: if the
     * agent does not come back in time, the board resets, which is what the Guardian asked for.
     */
    private void completeFinish(boolean disarm) {
        finished = true;
        watchdog.shutdown(disarm);
        ports.ledger().record(Map.of());
        telemetry.ifPresent(AgentTelemetry::flushNow);
        events.emit(Event.of(EventCode.AGENT_STOPPED, "agent", "all services stopped"));
        hooks.flushEvents();
        hooks.finished();
    }

    @Override
    public void intensityExceeded(ServiceMachine service, String reason) {
        runMode(modes.step(new ModeInput.IntensityExceeded(service.name(), service.config().essential(), reason)));
    }

    /** The Guardian ordered SAFE mode (on the loop thread). */
    public void guardianOrderedSafe(String reason, Duration minDuration) {
        events.emit(Event.of(EventCode.COMPANION_SAFE_ORDER, "mode", reason, "min_duration_ms",
                minDuration.toMillis()));
        runMode(modes.step(new ModeInput.GuardianOrder(reason, minDuration)));
    }

    /** A policy circuit breaker ordered a mode (on the loop thread). */
    public void policyOrdered(ModeInput.PolicyOrder order) {
        runMode(modes.step(order));
    }

    @Override
    public void essentialExited(ServiceMachine service) {
        runMode(modes.step(new ModeInput.EssentialExited(service.name())));
    }

    private void runMode(List<ModeCommand> commands) {
        for (ModeCommand c : commands) {
            if (c instanceof ModeCommand.Emit e) {
                events.emit(e.event());
            } else if (c instanceof ModeCommand.ArmTimer t) {
                ports.scheduler().schedule(t.delay(),
                        () -> ports.loop().submit(new LoopEvent.ModeTimerFired(t.timer(), t.token())));
            } else if (c instanceof ModeCommand.SetSafe s) {
                if (!shuttingDown) {
                    supervisor.setSafeMode(s.safe());
                }
            } else if (c instanceof ModeCommand.Enable en) {
                if (!shuttingDown) {
                    supervisor.enable(en.service(), en.reason());
                }
            } else if (c instanceof ModeCommand.EnableAll all) {
                if (!shuttingDown) {
                    supervisor.enableAll(all.reason());
                }
            } else if (c instanceof ModeCommand.Reboot r) {
                ports.approvals().ask(Approval.REBOOT, r.reason(), d -> {
                    if (d.approved()) {
                        reboot(r.reason());
                    }
                });
            } else if (c instanceof ModeCommand.AskExitApproval a) {
                ports.approvals().ask(Approval.SAFE_MODE_EXIT, a.reason(),
                        d -> runMode(modes.step(new ModeInput.ExitDecision(d.approved(), d.reason()))));
            }
        }
        if (!shuttingDown) {
            // DEGRADED restricts what runs only under a policy's allowed_modes (supervision.RunFilter).
            supervisor.setDegraded(modes.mode() == Mode.DEGRADED);
        }
    }

    /**
     * Controlled reboot. Order matters: the intent is recorded and fsynced first, so that the next
     * start classifies the reset as planned even if the power goes during the reboot.
     */
    private void reboot(String reason) {
        events.emit(Event.of(EventCode.REBOOT_INTENT, "agent", reason));
        try {
            hooks.recordRebootIntent(reason);
        } catch (IOException e) {
            events.emit(Event.of(EventCode.REBOOT_INTENT, "agent",
                    "could not record the reboot intent (" + e.getMessage() + "); rebooting anyway"));
        }
        hooks.flushEvents();
        ports.reboot().reboot(reason);
        events.emit(Event.of(EventCode.REBOOT_REQUESTED, "agent", reason));
    }

    private void emitAll(List<Event> events) {
        events.forEach(this.events::emit);
    }
}
