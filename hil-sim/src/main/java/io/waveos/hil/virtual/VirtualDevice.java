package io.waveos.hil.virtual;

import io.waveos.agent.Agent;
import io.waveos.agent.LoopEvent;
import io.waveos.agent.config.AgentConfig;
import io.waveos.agent.platform.fake.FakeNotifier;
import io.waveos.agent.platform.fake.FakeProber;
import io.waveos.agent.platform.fake.FakeReboot;
import io.waveos.agent.platform.fake.FakeStorage;
import io.waveos.agent.platform.fake.FakeTime;
import io.waveos.agent.platform.fake.FakeProcessPriority;
import io.waveos.agent.platform.fake.FakeSystemMetrics;
import io.waveos.agent.platform.fake.QueuedWorker;
import io.waveos.agent.platform.ResourceLimits;
import io.waveos.agent.AgentPolicy;
import io.waveos.agent.AgentTelemetry;
import io.waveos.agent.evidence.EvidenceArchive;
import io.waveos.agent.policy.PolicySource;
import io.waveos.agent.telemetry.Redaction;
import io.waveos.agent.supervision.OrphanSweep;
import io.waveos.agent.supervision.ProcessLedgerFile;
import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.EventCode;
import io.waveos.agent.telemetry.EventLog;
import io.waveos.agent.telemetry.RunDirectory;
import io.waveos.agent.telemetry.RunMeta;
import io.waveos.agent.watchdog.ResetClassifier;
import io.waveos.agent.watchdog.RunLedger;
import io.waveos.agent.platform.ProcessIdentity;
import io.waveos.agent.update.ActiveSlots;
import io.waveos.agent.update.Updater;
import io.waveos.bundles.platform.CrashingStorage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * One device in virtual time: boots the real {@link Agent} the way {@code AgentMain} does (run
 * ledger, reset classification, run directory, event log, process ledger, orphan sweep, the updater
 * on its slot storage, the hardware watchdog), on the twins. An agent that "dies" is simply
 * abandoned: its loop is stopped, so its timers and its children's exits reach nobody, and its
 * unsynced writes (on both storages) are lost if the power goes.
 */
final class VirtualDevice {
    private final AgentConfig config;
    private final String configSha;
    private final FakeTime time;
    private final FakeStorage storage;
    private final Disks disks;
    private final CrashingStorage slots;
    private final HardwareWatchdog watchdog;
    private final ScriptedLauncher launcher;
    private final JumpingWall wall;
    private final VirtualResources resources;
    private final FakeSystemMetrics system = new FakeSystemMetrics();
    private final Random random;
    private Optional<VirtualGuardian> guardian = Optional.empty();
    private final FakeProber prober = new FakeProber();
    private String bootId = "sim-boot-1";
    private int boots = 1;
    private Optional<Running> current = Optional.empty();
    /** What the agents printed on stderr (the event log's diagnostics), in order. */
    private final List<String> diagnostics = new java.util.ArrayList<>();

    /** One agent run; its worker (evidence packs, metrics writes) dies with it. */
    private record Running(Agent agent, FreezableLoop<LoopEvent> loop, EventLog events, QueuedWorker worker) {
    }

    /**
     * @param disks the agent's storage and the updater's (its inbox, trust root, slots and update
     *     evidence), which lose power together
     */
    VirtualDevice(AgentConfig config, String configSha, FakeTime time, JumpingWall wall, Disks disks,
            HardwareWatchdog watchdog, ScriptedLauncher launcher, VirtualResources resources, long seed) {
        this.config = config;
        this.configSha = configSha;
        this.time = time;
        this.wall = wall;
        this.disks = disks;
        this.storage = disks.storage();
        this.slots = disks.slots();
        this.watchdog = watchdog;
        this.launcher = launcher;
        this.resources = resources;
        system.memory(256L << 20, (256L << 20) / 5);
        this.random = new Random(seed);
    }

    /** Starts an agent, as the init system does after boot or after the agent died. */
    void startAgent() {
        try {
            storage.createDirectories(config.paths().state());
            storage.createDirectories(config.paths().logs());
            RunLedger ledger = new RunLedger(storage, config.paths().state());
            RunDirectory runDir = RunDirectory.create(storage, config.paths().logs(), config.paths().state(), wall.now());
            RunLedger.Previous previous = ledger.readPrevious();
            ResetClassifier.Classification stop = ResetClassifier.classify(previous, bootId,
                    Optional.of(watchdog.bootStatus()));
            EventLog events = new EventLog(storage, runDir.eventsFile(), wall, diagnostics::add,
                    Redaction.none());
            runDir.writeMeta(new RunMeta("sim", config.deviceId(), bootId, runDir.runId(), configSha, wall.now(),
                    stop.reason().wire(), previous.lastRun().map(RunLedger.LastRun::runId), 1000 + boots));
            ledger.recordStart(runDir.runId(), bootId, wall.now());
            events.emit(Event.of(EventCode.AGENT_STARTED, "agent", "agent started", "version", "sim", "run_id",
                    runDir.runId(), "device_id", config.deviceId()));
            events.emit(Event.of(EventCode.PREVIOUS_RUN_CLASSIFIED, "agent", stop.detail(), "previous_stop",
                    stop.reason().wire()));
            ProcessLedgerFile processes = new ProcessLedgerFile(storage, config.paths().state().resolve("processes.json"),
                    bootId, events);
            Map<String, ProcessIdentity> recorded = processes.readPrevious();
            FreezableLoop<LoopEvent> loop = new FreezableLoop<>();
            Agent.Hooks hooks = new Agent.Hooks() {
                @Override
                public void flushEvents() {
                    events.sync();
                }

                @Override
                public void recordRebootIntent(String reason) throws IOException {
                    ledger.recordRebootIntent(runDir.runId(), bootId, reason, wall.now());
                }

                @Override
                public void finished() {
                    try {
                        ledger.recordCleanShutdown(runDir.runId(), wall.now());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    events.sync();
                    loop.stop();
                }
            };
            java.util.concurrent.atomic.AtomicReference<Agent> agentRef = new java.util.concurrent.atomic.AtomicReference<>();
            Optional<io.waveos.agent.companion.GuardianLink> link = guardian.flatMap(g -> config.companion().map(c ->
                    g.attach(c, runDir.runId(), system, e -> {
                        Agent a = agentRef.get();
                        if (a == null) {
                            events.emit(e);
                        } else {
                            a.sink().emit(e);
                        }
                    }, loop, agentRef::get)));
            Agent agent = new Agent(config, new Agent.Ports(launcher, prober, time, time, events, loop, processes,
                    new FakeReboot(), config.watchdog().device().map(d -> watchdog.port()), new FakeNotifier(),
                    random::nextDouble,
                    link.<io.waveos.agent.companion.Approvals>map(l -> l)
                            .orElseGet(io.waveos.agent.companion.NoGuardian::new)), hooks);
            agentRef.set(agent);
            link.ifPresent(agent::attachGuardian);
            loop.bind(agent::handle);
            QueuedWorker worker = new QueuedWorker();
            // as AgentMain: one worker for the updater's preflight and install jobs and telemetry's writes
            config.updates().ifPresent(u -> agent.attachUpdater(new Updater(u, "sim", config.paths().state(),
                    config.paths().logs().resolve("evidence"), new Updater.Ports(slots, worker, time, time, wall,
                    agent.sink(), in -> loop.submit(new LoopEvent.ForUpdater(in)), agent.approvals()),
                    agent.updateHost())));
            attachTelemetryAndPolicy(agent, loop, worker, runDir, stop);
            current = Optional.of(new Running(agent, loop, events, worker));
            loop.submit(new LoopEvent.Start(OrphanSweep.candidates(config.services(), recorded, List.of())));
            time.runDue();
        } catch (IOException e) {
            if (disks.cut().down()) {
                // the power goes at a write of this boot: the agent dies with it, as AgentMain exits 1
                return;
            }
            throw new UncheckedIOException("the virtual device cannot boot: " + e.getMessage(), e);
        }
    }

    /**
     * Telemetry, evidence packs and the policy engine, wired as {@code AgentMain} wires them, on the
     * twins: the fake host figures (a 256 MiB device), the fake processes' figures, a queued worker the
     * rig drains every tick, no cgroups and a priority port that records.
     */
    private void attachTelemetryAndPolicy(Agent agent, FreezableLoop<LoopEvent> loop, QueuedWorker worker,
            RunDirectory runDir, ResetClassifier.Classification stop) {
        java.util.concurrent.atomic.AtomicReference<String> policyVersion =
                new java.util.concurrent.atomic.AtomicReference<>("none");
        AgentTelemetry.Ports ports = new AgentTelemetry.Ports(system, resources.metrics(), storage, worker, wall, time,
                time, loop::submit, () -> 8L << 20, () -> 32L << 20);
        AgentTelemetry telemetry = new AgentTelemetry(config.telemetry(), ports, Optional.of(runDir.metricsFile()),
                config.evidence(), new EvidenceArchive.Run(config.deviceId(), runDir.runId(), runDir.runMetaFile(),
                        runDir.eventsFile(), config.paths().logs().resolve("services"), () -> Map.of("agent", "sim",
                        "config_sha256", configSha, "policy", policyVersion.get()), Redaction.none()));
        agent.attachTelemetry(telemetry);
        telemetry.evidence().ifPresent(a -> a.previousRun(stop.reason().wire(), stop.detail()));
        agent.observeEvents(e -> {
            if (e.code() == EventCode.POLICY_LOADED && e.fields().containsKey("policy_version")) {
                policyVersion.set(String.valueOf(e.fields().get("policy_version")));
            }
        });
        AgentPolicy policy = new AgentPolicy(agent, time, config.policy().map(pc -> new PolicySource(pc, storage,
                ActiveSlots.of(slots, config.paths().state().resolve("updates")))), new AgentPolicy.Ports(agent.incidents(), new FakeProcessPriority(),
                ResourceLimits.none("tier 1 has no cgroups"), launcher::signalGroup, time,
                step -> loop.submit(new LoopEvent.ForPolicy(step))));
        agent.onSamples(policy::onSample);
        policy.load();
    }

    /** Runs what the live agent's worker has queued (pack writes, metrics appends), as its thread would. */
    void runWorker() {
        current.filter(r -> !r.loop().frozen()).ifPresent(r -> r.worker().runAll());
    }

    /**
     * SIGSTOP of the agent: its loop takes no events (so no heartbeats, no kicks, no restarts) and its
     * worker stands still; its children live on. Returns how to send SIGCONT to this very agent run
     * (a no-op once it was reset or killed).
     */
    Runnable freezeAgent() {
        Optional<Running> frozen = current;
        frozen.ifPresent(r -> r.loop().freeze());
        return () -> frozen.filter(r -> current.equals(frozen)).ifPresent(r -> r.loop().thaw());
    }

    /**
     * The host's figures move on: CPU 15 % busy, as an idle legacy box; memory, as tier 2's
     * {@code rig.HostFigures}: a 256 MiB device, 80 % used by the legacy system, plus what the live fake
     * services have leaked.
     */
    void advanceHost(java.time.Duration d) {
        long ticks = d.toMillis() / 10;
        system.addCpu(ticks * 15 / 100, ticks);
        long total = 256L << 20;
        system.memory(total, Math.max(0, total / 5 - resources.retainedTotal()));
    }

    /** kill -9 of the agent: its loop stops at once; its children live on. */
    void killAgent() {
        current.ifPresent(r -> r.loop().stop());
        if (current.isPresent()) {
            guardian.ifPresent(VirtualGuardian::detach);
        }
        current = Optional.empty();
    }

    /** The device is linked to this Guardian from its next agent start on. */
    void linkTo(VirtualGuardian g) {
        guardian = Optional.of(g);
    }

    /**
     * The power goes (or a reset line, or the watchdog): the agent and every process die, and unsynced
     * writes are lost on both storages. {@code byWatchdog}: the next boot's watchdog status says so
     * (WDIOF_CARDRESET), as the kernel's bootstatus file would.
     */
    void powerCut(io.waveos.agent.platform.fake.FakeProcessLauncher table, boolean byWatchdog) {
        killAgent();
        for (String s : new java.util.TreeSet<>(table.runningServices())) {
            while (table.isRunning(s)) {
                table.exit(s, io.waveos.agent.platform.ExitStatus.signal(io.waveos.agent.platform.Signal.KILL));
            }
        }
        disks.powerLoss();
        watchdog.powerCycled(byWatchdog);
        boots++;
        bootId = "sim-boot-" + boots;
    }

    /** A graceful stop at the end: SIGTERM's path through the agent, within its shutdown budget. */
    void shutDown() {
        current.ifPresent(r -> {
            r.loop().submit(new LoopEvent.Shutdown("end of scenario"));
            for (int i = 0; i < 600 && !r.loop().stopped(); i++) {
                time.advance(java.time.Duration.ofMillis(100));
            }
            r.events().sync();
        });
        current = Optional.empty();
    }

    /** What the agents printed on stderr so far. */
    List<String> diagnostics() {
        return List.copyOf(diagnostics);
    }

    Optional<Agent> agent() {
        return current.map(Running::agent);
    }
}
