package io.waveos.agent;

import io.waveos.agent.config.AgentConfig;
import io.waveos.agent.config.CompanionConfig;
import io.waveos.agent.config.ConfigException;
import io.waveos.agent.config.ConfigLoader;
import io.waveos.agent.config.SafeModeLineConfig;
import io.waveos.agent.platform.ProcessIdentity;
import io.waveos.agent.platform.Storage;
import io.waveos.agent.platform.WatchdogDevice;
import io.waveos.agent.platform.linux.ControlSocketServer;
import io.waveos.agent.platform.linux.DaemonThreads;
import io.waveos.agent.platform.linux.ExecutorScheduler;
import io.waveos.agent.platform.linux.FileWatchdogDevice;
import io.waveos.agent.platform.linux.LinuxBootFacts;
import io.waveos.agent.platform.linux.LinuxCgroupLimits;
import io.waveos.agent.platform.linux.LinuxProcessPriority;
import io.waveos.agent.policy.PolicySource;
import io.waveos.agent.platform.linux.LinuxProber;
import io.waveos.agent.platform.linux.LinuxProcessLauncher;
import io.waveos.agent.platform.linux.LinuxReboot;
import io.waveos.agent.platform.linux.LinuxStorage;
import io.waveos.agent.platform.linux.ThreadWorker;
import io.waveos.agent.update.ActiveSlots;
import io.waveos.agent.update.Updater;
import io.waveos.agent.platform.linux.Pi4jSafeModeLine;
import io.waveos.agent.platform.linux.LinuxSystemMetrics;
import io.waveos.agent.platform.linux.SystemClocks;
import io.waveos.agent.platform.linux.SystemdNotifier;
import io.waveos.agent.platform.linux.TerminationSignals;
import io.waveos.agent.platform.linux.ThreadEventLoop;
import io.waveos.agent.supervision.OrphanSweep;
import io.waveos.agent.supervision.ProcessLedgerFile;
import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.EventCode;
import io.waveos.agent.telemetry.EventLog;
import io.waveos.agent.telemetry.RunDirectory;
import io.waveos.agent.telemetry.RunMeta;
import io.waveos.agent.watchdog.ResetClassifier;
import io.waveos.agent.watchdog.RunLedger;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The agent's composition root: reads the configuration, builds the Linux adapters, classifies how
 * the previous run ended, opens the run directory and runs the loop until SIGTERM or SIGINT.
 *
 * <p>Exit codes: 0 after a clean shutdown, 2 for a configuration error, 1 when the agent cannot
 * set up its state or log folders.
 */
public final class AgentMain {
    /** The agent's version, from the jar manifest. */
    public static String version() {
        String v = AgentMain.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    private AgentMain() {
    }

    /** Loads and validates a configuration file; prints errors and returns empty when rejected. */
    static Optional<Loaded> load(Storage storage, Path file, PrintStream err) {
        try {
            Optional<byte[]> bytes = storage.read(file);
            if (bytes.isEmpty()) {
                err.println(file + ":0: cannot read the configuration: no such file");
                return Optional.empty();
            }
            String text = new String(bytes.get(), StandardCharsets.UTF_8);
            AgentConfig config = new ConfigLoader().parse(file.toString(), text);
            return Optional.of(new Loaded(config, sha256(bytes.get())));
        } catch (IOException e) {
            err.println(file + ":0: cannot read the configuration: " + e.getMessage());
        } catch (ConfigException e) {
            err.println(e.getMessage());
        }
        return Optional.empty();
    }

    /** A validated configuration and the SHA-256 of its bytes. */
    record Loaded(AgentConfig config, String sha256) {
    }

    /** {@code waveos agent --check-config FILE}: 0 when valid, 2 when not. */
    static int checkConfig(Path file, PrintStream out, PrintStream err) {
        Optional<Loaded> loaded = load(new LinuxStorage(), file, err);
        if (loaded.isEmpty()) {
            return 2;
        }
        out.println(file + ": OK (" + loaded.get().config().services().size() + " services, sha256 "
                + loaded.get().sha256() + ")");
        return 0;
    }

    /** {@code waveos agent --config FILE}: runs until stopped; returns the exit code. */
    static int run(Path configFile, PrintStream out, PrintStream err) throws InterruptedException {
        Optional<Loaded> loaded = load(new LinuxStorage(), configFile, err);
        if (loaded.isEmpty()) {
            return 2;
        }
        AgentConfig config = loaded.get().config();
        DeviceStorage ports;
        try {
            // waveos.storage: the HIL simulator's third seam (crash-shadow:<dir>, docs/hil.md). Never set on a device.
            ports = DeviceStorage.select(Optional.ofNullable(System.getProperty("waveos.storage")), config);
        } catch (IOException | IllegalArgumentException e) {
            err.println("waveos: cannot set up the storage: " + e.getMessage());
            return 2;
        }
        Storage storage = ports.files();
        SystemClocks clocks = new SystemClocks();
        Instant started = clocks.now();
        // waveos.boot-id-file: the HIL simulator's seam; its power controller writes a new boot id when
        // it "reboots" the device (docs/hil.md). Never set on a device.
        LinuxBootFacts boot = new LinuxBootFacts(Path.of(System.getProperty("waveos.boot-id-file",
                "/proc/sys/kernel/random/boot_id")),
                config.watchdog().bootStatus());
        String bootId = boot.bootId();
        RunLedger runLedger = new RunLedger(storage, config.paths().state());
        RunDirectory runDir;
        String marker;
        try {
            storage.createDirectories(config.paths().state());
            storage.createDirectories(config.paths().logs());
            marker = instanceMarker(storage, config.paths().state());
            runDir = RunDirectory.create(storage, config.paths().logs(), config.paths().state(), started);
        } catch (IOException e) {
            err.println("waveos: cannot prepare the state or log folders: " + e.getMessage());
            return 1;
        }
        RunLedger.Previous previous = runLedger.readPrevious();
        ResetClassifier.Classification stop = ResetClassifier.classify(previous, bootId, boot.watchdogBootStatus());
        // Secrets never reach what the agent writes: every event line is redacted before it is chained.
        io.waveos.agent.telemetry.Redaction redaction = redaction(config);
        EventLog events = new EventLog(storage, runDir.eventsFile(), clocks, redaction);
        RunMeta meta = new RunMeta(version(), config.deviceId(), bootId, runDir.runId(), loaded.get().sha256(),
                started, stop.reason().wire(), previous.lastRun().map(RunLedger.LastRun::runId),
                ProcessHandle.current().pid());
        try {
            runDir.writeMeta(meta);
            runLedger.recordStart(runDir.runId(), bootId, started);
        } catch (IOException e) {
            err.println("waveos: cannot write the run records: " + e.getMessage());
            return 1;
        }
        events.emit(Event.of(EventCode.AGENT_STARTED, "agent", "agent started", "version", version(), "run_id",
                runDir.runId(), "device_id", config.deviceId(), "pid", ProcessHandle.current().pid()));
        events.emit(Event.of(EventCode.CONFIG_LOADED, "agent", "configuration accepted", "file",
                configFile.toString(), "sha256", loaded.get().sha256(), "services", config.services().size()));
        events.emit(Event.of(EventCode.PREVIOUS_RUN_CLASSIFIED, "agent", stop.detail(), "previous_stop",
                stop.reason().wire()));
        runDir.counterRepair().ifPresent(r -> events.emit(Event.of(EventCode.STATE_WRITE_FAILED, "agent", r)));

        ProcessLedgerFile ledger = new ProcessLedgerFile(storage, config.paths().state().resolve("processes.json"),
                bootId, events);
        Map<String, ProcessIdentity> recorded;
        try {
            recorded = ledger.readPrevious();
        } catch (IOException e) {
            events.emit(Event.of(EventCode.STATE_WRITE_FAILED, "agent", "process ledger unreadable, relying on the "
                    + "environment marker alone: " + e.getMessage()));
            recorded = Map.of();
        }

        AtomicReference<Agent> agentRef = new AtomicReference<>();
        ThreadEventLoop<LoopEvent> loop = new ThreadEventLoop<>("waveos-loop", e -> agentRef.get().handle(e));
        // The spool recovers before any service starts; what it reports waits in the loop's queue.
        AgentSpool spool = AgentSpool.start(config.spool(), storage, clocks, clocks,
                e -> loop.submit(new LoopEvent.Emit(e)), new DaemonThreads("waveos-spool"));
        spool.startForwarding(storage, clocks, e -> loop.submit(new LoopEvent.Emit(e)),
                new DaemonThreads("waveos-forward"));
        LinuxProcessLauncher launcher;
        try {
            launcher = new LinuxProcessLauncher(marker, spool.sink());
        } catch (IOException e) {
            err.println("waveos: cannot set up process launching: " + e.getMessage());
            return 1;
        }
        List<ProcessIdentity> marked = launcher.findMarked(marker);
        Optional<WatchdogDevice> watchdog = config.watchdog().device().map(p -> new FileWatchdogDevice(p, true));
        SecureRandom random = new SecureRandom();
        try (ExecutorScheduler scheduler = new ExecutorScheduler();
                ThreadWorker worker = new ThreadWorker();
                LinuxProber prober = new LinuxProber(2, 64)) {
            Agent.Hooks hooks = new Agent.Hooks() {
                @Override
                public void flushEvents() {
                    events.sync();
                }

                @Override
                public void recordRebootIntent(String reason) throws IOException {
                    runLedger.recordRebootIntent(runDir.runId(), bootId, reason, clocks.now());
                }

                @Override
                public void finished() {
                    try {
                        runLedger.recordCleanShutdown(runDir.runId(), clocks.now());
                    } catch (IOException e) {
                        err.println("waveos: cannot write the clean-shutdown marker: " + e.getMessage());
                    }
                    // Services have stopped: write and fsync their last lines before the JVM halts.
                    spool.close();
                    events.sync();
                    loop.stop();
                }
            };
            Optional<CompanionSetup.Built> companion = Optional.empty();
            if (config.companion().isPresent()) {
                try {
                    companion = Optional.of(CompanionSetup.build(config.companion().get(), config.paths().state(),
                            config.deviceId(), linkBootId(runDir.runId()), runDir.runId(), storage, clocks,
                            // waveos.host-root: the HIL simulator's seam for the device's figures (docs/hil.md)
                            new LinuxSystemMetrics(Path.of(System.getProperty("waveos.host-root", "/"))),
                            observed(events, agentRef), agentRef::get));
                } catch (IOException | RuntimeException e) {
                    err.println("waveos: cannot set up the Guardian link: " + e.getMessage());
                    events.emit(Event.of(EventCode.COMPANION_ERROR, "companion", "cannot set up the Guardian link: "
                            + e.getMessage()));
                    events.close();
                    return 2;
                }
            }
            Optional<Pi4jSafeModeLine> safeLine = Optional.empty();
            Optional<SafeModeLineConfig> lineConfig = config.companion().flatMap(CompanionConfig::safeModeLine);
            if (lineConfig.isPresent()) {
                try {
                    safeLine = Optional.of(Pi4jSafeModeLine.open(lineConfig.get()));
                } catch (IOException e) {
                    err.println("waveos: cannot open the Guardian's safe-mode line: " + e.getMessage());
                    events.emit(Event.of(EventCode.COMPANION_SAFE_LINE, "companion",
                            "cannot open the Guardian's safe-mode line: " + e.getMessage()));
                    events.close();
                    return 2;
                }
            }
            Agent agent = new Agent(config, new Agent.Ports(launcher, prober, scheduler, clocks, events, loop, ledger,
                    new LinuxReboot(config.reboot().enabled(), config.reboot().command()), watchdog,
                    new SystemdNotifier(System.getenv()), random::nextDouble,
                    companion.<io.waveos.agent.companion.Approvals>map(CompanionSetup.Built::link)
                            .orElseGet(io.waveos.agent.companion.NoGuardian::new)), hooks);
            agentRef.set(agent);
            agent.observeEvents(spool::agentLine);
            agent.attachSpoolFigures(spool::figures);
            config.updates().ifPresent(u -> agent.attachUpdater(new Updater(u, version(), config.paths().state(),
                    config.paths().logs().resolve("evidence"), new Updater.Ports(ports.slots(), worker,
                    scheduler, clocks, clocks, agent.sink(), in -> loop.submit(new LoopEvent.ForUpdater(in)),
                    agent.approvals()), agent.updateHost())));
            // The policy in force, as packs and run_meta.json name it: "none" until a policy is loaded.
            AtomicReference<String> policyVersion = new AtomicReference<>("none");
            AgentTelemetry telemetry = telemetry(config, loaded.get().sha256(), runDir, storage, worker, clocks,
                    scheduler, loop, redaction, policyVersion::get);
            agent.attachTelemetry(telemetry);
            telemetry.evidence().ifPresent(a -> a.previousRun(stop.reason().wire(), stop.detail()));
            agent.observeEvents(e -> {
                if (e.code() == EventCode.POLICY_LOADED && e.fields().containsKey("policy_version")) {
                    policyVersion.set(String.valueOf(e.fields().get("policy_version")));
                    try {
                        runDir.writeMeta(meta.withPolicyVersion(policyVersion.get()));
                    } catch (IOException ex) {
                        agent.sink().emit(Event.of(EventCode.STATE_WRITE_FAILED, "agent",
                                "cannot name the policy version in run_meta.json: " + ex.getMessage()));
                    }
                }
            });
            AgentPolicy policy = new AgentPolicy(agent, clocks, config.policy().map(pc -> new PolicySource(pc, storage,
                    ActiveSlots.of(ports.slots(), config.paths().state().resolve("updates")))),
                    new AgentPolicy.Ports(agent.incidents(), new LinuxProcessPriority(), LinuxCgroupLimits.detect(),
                            launcher::signalGroup, scheduler, step -> loop.submit(new LoopEvent.ForPolicy(step))));
            agent.onSamples(policy::onSample);
            policy.load();
            safeLine.ifPresent(agent::attachSafeModeLine);
            companion.ifPresent(c -> {
                agent.attachGuardian(c.link());
                CompanionSetup.connect(c.transport(), scheduler, loop);
            });
            Optional<AgentApi> api = AgentApi.open(config, agent, loop, events::lastSeq, redaction, storage,
                    ports.slots(), clocks);
            Duration budget = config.shutdown().budget().plusSeconds(5);
            TerminationSignals.onTerminate(() -> {
                // Drain the API first, while the loop still answers the requests in flight.
                api.ifPresent(AgentApi::close);
                loop.submit(new LoopEvent.Shutdown("signal received (SIGTERM or SIGINT)"));
                try {
                    boolean done = loop.await(budget);
                    // halt, not exit: the status must be ours, not 143.
                    TerminationSignals.halt(done ? 0 : 1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            loop.start();
            loop.submit(new LoopEvent.Start(OrphanSweep.candidates(config.services(), recorded, marked)));
            Optional<ControlSocketServer> control = openControl(controlSocket(config), loop, events);
            out.println("waveos agent " + version() + " running: run " + runDir.runId() + ", events "
                    + runDir.eventsFile());
            while (!loop.await(Duration.ofDays(1))) {
                // The loop ends after a clean shutdown; the shutdown hook halts the JVM with its status.
            }
            if (control.isPresent()) {
                control.get().close();
            }
            safeLine.ifPresent(Pi4jSafeModeLine::close);
        } catch (IOException e) {
            err.println("waveos: cannot close the control socket: " + e.getMessage());
        }
        spool.close();
        events.close();
        return 0;
    }

    /** Events of parts built before the agent: through the agent's sink (and its observers) once it exists. */
    private static io.waveos.agent.telemetry.EventSink observed(EventLog log, AtomicReference<Agent> agent) {
        return e -> {
            Agent a = agent.get();
            if (a == null) {
                log.emit(e);
            } else {
                a.sink().emit(e);
            }
        };
    }

    /** Secrets: every env value marked secret and every API key's secret. (PEM private keys are masked by any Redaction.) */
    static io.waveos.agent.telemetry.Redaction redaction(AgentConfig config) {
        List<String> secrets = new java.util.ArrayList<>();
        config.services().forEach(s -> s.environment().values().stream()
                .filter(io.waveos.agent.config.EnvValue::secret).forEach(v -> secrets.add(v.value())));
        config.api().ifPresent(a -> a.keys().forEach(k -> secrets.add(k.secret())));
        return new io.waveos.agent.telemetry.Redaction(secrets);
    }

    private static AgentTelemetry telemetry(AgentConfig config, String configSha256, RunDirectory runDir,
            Storage storage, ThreadWorker worker, SystemClocks clocks, ExecutorScheduler scheduler,
            ThreadEventLoop<LoopEvent> loop, io.waveos.agent.telemetry.Redaction redaction,
            Supplier<String> policyVersion) {
        Runtime runtime = Runtime.getRuntime();
        Map<String, Path> watched = Map.of("state", config.paths().state(), "logs", config.paths().logs());
        AgentTelemetry.Ports ports = new AgentTelemetry.Ports(
                new io.waveos.agent.platform.linux.LinuxSystemMetrics(watched),
                new io.waveos.agent.platform.linux.LinuxProcessMetrics(), storage, worker, clocks, clocks, scheduler,
                loop::submit, () -> runtime.totalMemory() - runtime.freeMemory(), runtime::maxMemory);
        io.waveos.agent.evidence.EvidenceArchive.Run run = new io.waveos.agent.evidence.EvidenceArchive.Run(
                config.deviceId(), runDir.runId(), runDir.runMetaFile(), runDir.eventsFile(),
                config.paths().logs().resolve("services"),
                () -> Map.of("agent", version(), "config_sha256", configSha256, "policy", policyVersion.get()), redaction,
                config.spool().enabled() ? Optional.of(config.spool().dir()) : Optional.empty());
        return new AgentTelemetry(config.telemetry(), ports, Optional.of(runDir.metricsFile()), config.evidence(), run);
    }

    /**
     * The link's "boot id" names this agent run, not the kernel's boot: the link's sequence numbers
     * and session start afresh with every agent start, and the Guardian must see a new peer.
     */
    static String linkBootId(String runId) {
        byte[] random = new byte[8];
        new SecureRandom().nextBytes(random);
        return runId + "-" + HexFormat.of().formatHex(random);
    }

    /** Where the control socket lives: in the state folder, readable by the agent's user only. */
    static Path controlSocket(AgentConfig config) {
        return config.paths().state().resolve("control.sock");
    }

    /**
     * Opens the control socket ({@code waveos status}, {@code waveos mode clear}). The agent runs
     * without it if it cannot be opened; that is an event, not a reason to stop supervising.
     */
    private static Optional<ControlSocketServer> openControl(Path socket, ThreadEventLoop<LoopEvent> loop,
            EventLog events) {
        try {
            return Optional.of(new ControlSocketServer(socket, (request, operator) -> {
                CompletableFuture<String> reply = new CompletableFuture<>();
                loop.submit(new LoopEvent.Control(request, operator, reply));
                return reply;
            }));
        } catch (IOException | UnsupportedOperationException e) {
            loop.submit(new LoopEvent.Emit(Event.of(EventCode.CONTROL_UNAVAILABLE, "agent",
                    "cannot open the control socket " + socket + ": " + e.getMessage())));
            return Optional.empty();
        }
    }

    /**
     * This installation's marker, put in every service's environment so a later generation can find
     * processes it launched even when the process ledger missed them. Created once per state folder.
     */
    private static String instanceMarker(Storage storage, Path state) throws IOException {
        Path file = state.resolve("instance_id");
        Optional<byte[]> existing = storage.read(file);
        if (existing.isPresent()) {
            String id = new String(existing.get(), StandardCharsets.UTF_8).trim();
            if (id.matches("[0-9a-f-]{36}")) {
                return id;
            }
        }
        String id = UUID.randomUUID().toString();
        storage.writeAtomically(file, (id + "\n").getBytes(StandardCharsets.UTF_8));
        return id;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
