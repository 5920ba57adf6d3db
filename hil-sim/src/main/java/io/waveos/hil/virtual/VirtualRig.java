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
import io.waveos.hil.scenario.FaultKind;
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

/**
 * Tier 1: a scenario in virtual time. The same {@code agent.yaml} as tier 2 is parsed by the agent's
 * own loader; the real agent runs on {@link FakeTime}, the fake process table and
 * {@link FakeStorage} (which loses unsynced writes at a power cut). When {@code jitter} is set, each
 * fault's time moves by a seeded amount up to it (seeded variations). At the end the agent's files
 * are copied out of the fake storage into {@code work/logs}, where grading reads them as in tier 2.
 */
public final class VirtualRig implements Rig {
    /** Virtual time zero of every tier-1 run. */
    public static final Instant ORIGIN = Instant.parse("2026-01-01T00:00:00Z");
    static final Path STATE = Path.of("/sim/state");
    static final Path LOGS = Path.of("/sim/logs");
    static final Path POLICY = Path.of("/sim/etc/policy.yaml");
    private final Duration jitter;

    public VirtualRig() {
        this(Duration.ZERO);
    }

    public VirtualRig(Duration jitter) {
        this.jitter = jitter;
    }

    @Override
    public RunRecord run(Scenario s, long seed, Path work, Progress progress) throws IOException {
        Files.createDirectories(work);
        FakeStorage storage = new FakeStorage();
        Optional<Path> policy = s.device().policy().isPresent() ? Optional.of(POLICY) : Optional.empty();
        if (policy.isPresent()) {
            byte[] text = s.device().policy().get().getBytes(StandardCharsets.UTF_8);
            storage.createDirectories(POLICY.getParent());
            storage.writeAtomically(POLICY, text);
            Files.write(work.resolve("policy.yaml"), text);
        }
        // the agent's companion section needs a transport; tier 1 joins the link to a pipe instead
        Optional<String> companion = s.guardian().enabled() ? Optional.of("tcp: \"127.0.0.1:9\"") : Optional.empty();
        String yaml = AgentYaml.render(s, new AgentYaml.Layout(STATE, LOGS, Path.of("/sim/ctl"),
                List.of("/opt/hil/fake-service"), companion, Optional.empty(), Optional.empty(), Optional.empty(),
                policy));
        Files.writeString(work.resolve("agent.yaml"), yaml, StandardCharsets.UTF_8);
        AgentConfig config;
        try {
            config = new ConfigLoader().parse(work.resolve("agent.yaml").toString(), yaml);
        } catch (ConfigException e) {
            throw new IOException("the agent rejects the scenario's device: " + e.getMessage(), e);
        }
        FakeTime time = new FakeTime(ORIGIN);
        JumpingWall wall = new JumpingWall(time);
        FakeProcessLauncher table = new FakeProcessLauncher();
        VirtualResources resources = new VirtualResources();
        Map<String, List<Scenario.Action>> onStart = new LinkedHashMap<>();
        s.device().services().forEach(svc -> onStart.put(svc.name(), svc.onStart()));
        ScriptedLauncher launcher = new ScriptedLauncher(table, time, resources, onStart);
        VirtualDevice device = new VirtualDevice(config, sha256(yaml), time, wall, storage, launcher, resources, seed);
        List<String> names = s.device().services().stream().map(Scenario.ServiceSpec::name).toList();
        List<RunRecord.Injected> injected = new ArrayList<>();
        Optional<VirtualGuardian> guardian = Optional.empty();
        if (s.guardian().enabled()) {
            // the reset line power-cycles the device, as on a board
            guardian = Optional.of(new VirtualGuardian(s.guardian().rules(), time, seed, () -> {
                injected.add(new RunRecord.Injected(Duration.between(ORIGIN, time.now()), "reset: the Guardian's reset line"));
                device.powerCut(names, table);
                time.schedule(Duration.ofMillis(300), device::startAgent);
            }));
            device.linkTo(guardian.get());
        }
        List<RunRecord.ClockStep> steps = new ArrayList<>();
        Random shift = new Random(seed * 7919 + 17);
        Optional<VirtualGuardian> guardianRef = guardian;
        for (Fault f : s.faults()) {
            long maxShift = jitter.toMillis();
            Duration at = f.at().plusMillis(maxShift == 0 ? 0 : shift.nextLong(-maxShift, maxShift + 1));
            Duration when = at.isNegative() ? Duration.ZERO : at;
            time.schedule(when, () -> {
                injected.add(new RunRecord.Injected(when, f.label()));
                progress.note(String.format("%6.1f s  fault: %s", when.toMillis() / 1000.0, f.label()));
                if (f.kind() == FaultKind.CLOCK_JUMP) {
                    steps.add(new RunRecord.ClockStep(time.now(), f.length()));
                }
                inject(f, new Device(device, launcher, table, storage, wall, guardianRef), names, time);
            });
        }
        device.startAgent();
        Duration tick = Duration.ofMillis(100);
        for (Duration t = Duration.ZERO; t.compareTo(s.duration()) < 0; t = t.plus(tick)) {
            launcher.advanceFigures(tick);
            device.advanceHost(tick);
            time.advance(tick);
            guardian.ifPresent(VirtualGuardian::tick);
            device.runWorker();
            progress.at(t);
        }
        java.util.Set<String> running = table.runningServices();
        Instant end = time.now();
        storage.failWrites(false);
        device.shutDown();
        Path logs = work.resolve("logs");
        copyOut(storage, LOGS, logs);
        return new RunRecord(s.name(), 1, seed, work, logs, ORIGIN, end, injected, running,
                List.of(work.resolve("agent.yaml")), List.of("virtual time, seed " + seed), steps);
    }

    /** What a fault can act on in tier 1. */
    private record Device(VirtualDevice device, ScriptedLauncher launcher, FakeProcessLauncher table,
            FakeStorage storage, JumpingWall wall, Optional<VirtualGuardian> guardian) {
    }

    private static void inject(Fault f, Device d, List<String> names, FakeTime time) {
        switch (f.kind()) {
            case SERVICE -> d.launcher().actNow(f.service().orElseThrow(), f.action().orElseThrow(), f.everyStart());
            case KILL_AGENT -> {
                d.device().killAgent();
                time.schedule(Duration.ofMillis(300), d.device()::startAgent);
            }
            case POWER_CUT -> {
                if (f.cut().isPresent()) {
                    throw new UnsupportedOperationException("a power cut at a storage write is not built in this tier yet: "
                            + f.label());
                }
                d.device().powerCut(names, d.table());
                time.schedule(f.length(), d.device()::startAgent);
            }
            case DISK_FULL -> {
                // every write, fsync, create, rename and delete fails until the space comes back
                d.storage().failWrites(true);
                time.schedule(f.length(), () -> d.storage().failWrites(false));
            }
            case CLOCK_JUMP -> d.wall().jump(f.length());
            case LINK_CUT -> {
                VirtualGuardian g = d.guardian().orElseThrow();
                g.cut();
                time.schedule(f.length(), g::restore);
            }
            case SERIAL_NOISE -> {
                VirtualGuardian g = d.guardian().orElseThrow();
                g.noise(Double.parseDouble(f.argument()));
                time.schedule(f.length(), () -> g.noise(0));
            }
            case FREEZE_AGENT -> time.schedule(f.length(), d.device().freezeAgent());
            case PUSH_BUNDLE, API_ABUSE ->
                    throw new IllegalStateException("fault " + f.kind().wire() + " is not injectable in tier 1 yet");
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
