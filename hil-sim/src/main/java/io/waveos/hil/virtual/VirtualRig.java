package io.waveos.hil.virtual;

import io.waveos.agent.config.AgentConfig;
import io.waveos.agent.config.ConfigException;
import io.waveos.agent.config.ConfigLoader;
import io.waveos.agent.platform.fake.FakeProcessLauncher;
import io.waveos.agent.platform.fake.FakeStorage;
import io.waveos.agent.platform.fake.FakeTime;
import io.waveos.hil.rig.AgentYaml;
import io.waveos.hil.rig.Progress;
import io.waveos.hil.rig.Rig;
import io.waveos.hil.rig.RunRecord;
import io.waveos.hil.scenario.Fault;
import io.waveos.hil.scenario.CutPoint;
import io.waveos.bundles.platform.CrashingStorage;
import io.waveos.hil.scenario.Scenario;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Tier 1: a scenario in virtual time. The same {@code agent.yaml} as tier 2 is parsed by the agent's
 * own loader; the real agent runs on {@link FakeTime}, the fake process table and
 * {@link FakeStorage} (which loses unsynced writes at a power cut), its updater on bundles'
 * {@link CrashingStorage}, its watchdog port on {@link HardwareWatchdog}. When {@code jitter} is set,
 * each fault's time moves by a seeded amount up to it (seeded variations). At the end the agent's files
 * are copied out of the fake storage into {@code work/logs}, where grading reads them as in tier 2.
 */
public final class VirtualRig implements Rig {
    /** Virtual time zero of every tier-1 run. */
    public static final Instant ORIGIN = Instant.parse("2026-01-01T00:00:00Z");
    static final Path STATE = Path.of("/sim/state");
    static final Path LOGS = Path.of("/sim/logs");
    static final Path POLICY = Path.of("/sim/etc/policy.yaml");
    static final Path CONTROL = Path.of("/sim/ctl");
    /** The fake service's program as tier 1's {@code agent.yaml} names it (never executed). */
    static final String FAKE_SERVICE = "/opt/hil/fake-service";
    private final Duration jitter;
    /** Bundles built once per rig, so variations and sweeps reuse them (they are deterministic). */
    private final VirtualBundles bundles = new VirtualBundles();
    private final Consumer<Disks> observer;

    public VirtualRig() {
        this(Duration.ZERO);
    }

    public VirtualRig(Duration jitter) {
        this(jitter, disks -> { });
    }

    /** For tests: {@code observer} sees each run's storages at its end. */
    VirtualRig(Duration jitter, Consumer<Disks> observer) {
        this.jitter = jitter;
        this.observer = observer;
    }

    /**
     * Runs {@code s} once. A power cut at a storage write falls at its write; a sweep
     * ({@code at_write: every}) is not one run: {@link #countCutPoints} and one run per cut point
     * ({@code runner.CutSweep}) make it.
     *
     * @throws IllegalArgumentException for a sweep
     */
    @Override
    public RunRecord run(Scenario s, long seed, Path work, Progress progress) throws IOException {
        if (s.faults().stream().anyMatch(f -> f.cut().filter(CutPoint::sweep).isPresent())) {
            throw new IllegalArgumentException(s.name() + " sweeps every write: run each cut point (runner.CutSweep)");
        }
        return runOnce(s, seed, work, progress).run();
    }

    /**
     * A sweep's first run: {@code s} without its cut, counting the mutating operations in the sweep's
     * scope from its {@code at} to the end (each named as {@code CrashingStorage.mutations()} names it).
     * The same seed then cuts at each of them in turn ({@link CutPoint} {@code nth} 1..K).
     */
    public CutPoints countCutPoints(Scenario s, long seed, Path work, Progress progress) throws IOException {
        Once once = runOnce(s, seed, work, progress);
        return new CutPoints(once.run(), once.counted());
    }

    /** A sweep's uncut run and the K operations it may be cut before, in order. */
    public record CutPoints(RunRecord run, List<String> operations) {
        public CutPoints {
            operations = List.copyOf(operations);
        }
    }

    private record Once(RunRecord run, List<String> counted) {
    }

    private Once runOnce(Scenario s, long seed, Path work, Progress progress) throws IOException {
        Files.createDirectories(work);
        FakeStorage storage = new FakeStorage();
        CrashingStorage slots = new CrashingStorage();
        Disks disks = new Disks(storage, slots, new StorageCut(storage, slots, STATE.resolve("updates")));
        Configured configured = configure(s, work, storage, slots);
        AgentConfig config = configured.config();
        String yaml = configured.yaml();
        FakeTime time = new FakeTime(ORIGIN);
        JumpingWall wall = new JumpingWall(time);
        FakeProcessLauncher table = new FakeProcessLauncher();
        VirtualResources resources = new VirtualResources();
        Map<String, List<Scenario.Action>> onStart = new LinkedHashMap<>();
        s.device().services().forEach(svc -> onStart.put(svc.name(), svc.onStart()));
        ScriptedLauncher launcher = new ScriptedLauncher(table, time, resources, onStart, FAKE_SERVICE, slots::read);
        HardwareWatchdog watchdog = new HardwareWatchdog();
        VirtualBench bench = new VirtualBench(time, table, launcher, disks, watchdog, wall, progress,
                new VirtualBench.Updates(bundles, s.device().updatesDeviceClass(),
                        config.updates().map(u -> u.inbox()).orElse(STATE.resolve("inbox")), work.resolve("bundles"),
                        FAKE_SERVICE, CONTROL));
        VirtualDevice device = new VirtualDevice(config, sha256(yaml), time, wall, disks, watchdog, launcher, resources,
                seed);
        Optional<VirtualGuardian> guardian = Optional.empty();
        if (s.guardian().enabled()) {
            // the reset line power-cycles the device, as on a board
            guardian = Optional.of(new VirtualGuardian(s.guardian().rules(), time, seed,
                    () -> bench.powerCycle("reset: the Guardian's reset line", false, VirtualBench.RESET_OFF)));
            device.linkTo(guardian.get());
        }
        bench.attach(device, guardian);
        Random shift = new Random(seed * 7919 + 17);
        for (Fault f : s.faults()) {
            long maxShift = jitter.toMillis();
            Duration at = f.at().plusMillis(maxShift == 0 ? 0 : shift.nextLong(-maxShift, maxShift + 1));
            Duration when = at.isNegative() ? Duration.ZERO : at;
            time.schedule(when, () -> bench.inject(f, when));
        }
        device.startAgent();
        Duration tick = Duration.ofMillis(100);
        for (Duration t = Duration.ZERO; t.compareTo(s.duration()) < 0; t = t.plus(tick)) {
            launcher.advanceFigures(tick);
            device.advanceHost(tick);
            time.advance(tick);
            guardian.ifPresent(VirtualGuardian::tick);
            device.runWorker();
            bench.checkWatchdog();
            progress.at(t);
        }
        // a cut that fell in the last instant takes effect before the end is recorded
        time.runDue();
        java.util.Set<String> running = table.runningServices();
        Instant end = time.now();
        List<String> counted = disks.cut().counted();
        if (disks.cut().refused().isEmpty()) {
            s.faults().stream().filter(f -> f.cut().filter(c -> !c.sweep()).isPresent()).findFirst().ifPresent(f -> {
                throw new IllegalStateException("the power cut armed at " + f.at().toMillis() / 1000.0 + " s (line "
                        + f.line() + ") never tripped: the agent did not reach " + f.cut().orElseThrow().label()
                        + " before the scenario's end (" + counted.size() + " in scope)");
            });
        }
        disks.cut().disarm();
        storage.failWrites(false);
        device.shutDown();
        Path logs = work.resolve("logs");
        copyOut(storage, LOGS, logs);
        copyUpdateEvidence(slots, LOGS.resolve("evidence"), logs.resolve("evidence"));
        List<Path> evidence = new ArrayList<>(List.of(work.resolve("agent.yaml")));
        if (!device.diagnostics().isEmpty()) {
            evidence.add(Files.write(work.resolve("agent.stderr.log"), device.diagnostics(), StandardCharsets.UTF_8));
        }
        List<String> notes = new ArrayList<>(List.of("virtual time, seed " + seed));
        disks.cut().refused().ifPresent(op -> notes.add("power cut before " + op + " (operation " + counted.size()
                + " in scope)"));
        observer.accept(disks);
        return new Once(new RunRecord(s.name(), 1, seed, work, logs, ORIGIN, end, bench.injected(), running,
                evidence, notes, bench.clockSteps()), counted);
    }

    /** The device's {@code agent.yaml} as text and as the agent's own loader parsed it. */
    private record Configured(String yaml, AgentConfig config) {
    }

    /**
     * Flashes the device (its policy file, its state folder and trust root) and writes the scenario's
     * {@code agent.yaml}, parsed by the agent's own loader.
     */
    private Configured configure(Scenario s, Path work, FakeStorage storage, CrashingStorage slots)
            throws IOException {
        Optional<Path> policy = s.device().policy().isPresent() ? Optional.of(POLICY) : Optional.empty();
        if (policy.isPresent()) {
            byte[] text = s.device().policy().get().getBytes(StandardCharsets.UTF_8);
            storage.createDirectories(POLICY.getParent());
            storage.writeAtomically(POLICY, text);
            Files.write(work.resolve("policy.yaml"), text);
        }
        Optional<Path> trust = s.device().updatesDeviceClass().map(dc -> VirtualBundles.TRUST_ROOT);
        install(slots, trust.isPresent() ? Optional.of(bundles.trustRoot(work.resolve("bundles"))) : Optional.empty());
        // the agent's companion section needs a transport; tier 1 joins the link to a pipe instead
        Optional<String> companion = s.guardian().enabled() ? Optional.of("tcp: \"127.0.0.1:9\"") : Optional.empty();
        String yaml = AgentYaml.render(s, new AgentYaml.Layout(STATE, LOGS, CONTROL, List.of(FAKE_SERVICE), companion,
                Optional.of(Path.of("/sim/dev/watchdog")), trust, Optional.of(Path.of("/sim/dev/bootstatus")), policy));
        Files.writeString(work.resolve("agent.yaml"), yaml, StandardCharsets.UTF_8);
        AgentConfig config;
        try {
            config = new ConfigLoader().parse(work.resolve("agent.yaml").toString(), yaml);
        } catch (ConfigException e) {
            throw new IOException("the agent rejects the scenario's device: " + e.getMessage(), e);
        }
        return new Configured(yaml, config);
    }

    /**
     * The device as flashed: its state folder and, with updates, the operator's trust root, all durable
     * (a power cut never takes the factory image).
     */
    private static void install(CrashingStorage slots, Optional<byte[]> trustRoot) throws IOException {
        slots.createDirectories(STATE);
        if (trustRoot.isPresent()) {
            slots.createDirectories(VirtualBundles.TRUST_ROOT.getParent());
            try (var w = slots.create(VirtualBundles.TRUST_ROOT)) {
                w.write(trustRoot.get(), 0, trustRoot.get().length);
            }
        }
        slots.syncAll();
    }

    /** The updater's evidence files (one JSON per rollback), written on the slot storage. */
    private static void copyUpdateEvidence(CrashingStorage slots, Path from, Path to) throws IOException {
        for (String name : slots.list(from)) {
            Optional<byte[]> bytes = name.endsWith(".json") ? slots.read(from.resolve(name)) : Optional.empty();
            if (bytes.isPresent()) {
                Files.createDirectories(to);
                Files.write(to.resolve(name), bytes.get());
            }
        }
    }

    /** Copies what survived in the fake storage (each run's records, the evidence packs) to the real folder. */
    private static void copyOut(FakeStorage storage, Path from, Path to) throws IOException {
        Path runs = from.resolve("runs");
        if (storage.exists(runs)) {
            for (String run : storage.list(runs)) {
                if (!run.equals("current")) {
                    copyFiles(storage, runs.resolve(run), to.resolve("runs").resolve(run),
                            n -> n.equals("events.jsonl") || n.equals("run_meta.json") || n.startsWith("metrics.csv"));
                }
            }
        }
        if (storage.exists(from.resolve("evidence"))) {
            copyFiles(storage, from.resolve("evidence"), to.resolve("evidence"), n -> n.endsWith(".tar"));
        }
    }

    private static void copyFiles(FakeStorage storage, Path from, Path to, java.util.function.Predicate<String> wanted)
            throws IOException {
        Files.createDirectories(to);
        for (String name : storage.list(from)) {
            if (wanted.test(name)) {
                Optional<byte[]> bytes = storage.read(from.resolve(name));
                if (bytes.isPresent()) {
                    Files.write(to.resolve(name), bytes.get());
                }
            }
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
