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
        String yaml = AgentYaml.render(s, new AgentYaml.Layout(STATE, LOGS, Path.of("/sim/ctl"),
                List.of("/opt/hil/fake-service"), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()));
        Files.writeString(work.resolve("agent.yaml"), yaml, StandardCharsets.UTF_8);
        AgentConfig config;
        try {
            config = new ConfigLoader().parse(work.resolve("agent.yaml").toString(), yaml);
        } catch (ConfigException e) {
            throw new IOException("the agent rejects the scenario's device: " + e.getMessage(), e);
        }
        FakeTime time = new FakeTime(ORIGIN);
        FakeStorage storage = new FakeStorage();
        FakeProcessLauncher table = new FakeProcessLauncher();
        Map<String, List<Scenario.Action>> onStart = new LinkedHashMap<>();
        s.device().services().forEach(svc -> onStart.put(svc.name(), svc.onStart()));
        ScriptedLauncher launcher = new ScriptedLauncher(table, time, onStart);
        VirtualDevice device = new VirtualDevice(config, sha256(yaml), time, storage, launcher, seed);
        List<String> names = s.device().services().stream().map(Scenario.ServiceSpec::name).toList();
        List<RunRecord.Injected> injected = new ArrayList<>();
        Random shift = new Random(seed * 7919 + 17);
        for (Fault f : s.faults()) {
            long maxShift = jitter.toMillis();
            Duration at = f.at().plusMillis(maxShift == 0 ? 0 : shift.nextLong(-maxShift, maxShift + 1));
            Duration when = at.isNegative() ? Duration.ZERO : at;
            time.schedule(when, () -> {
                injected.add(new RunRecord.Injected(when, f.label()));
                progress.note(String.format("%6.1f s  fault: %s", when.toMillis() / 1000.0, f.label()));
                inject(f, device, launcher, table, names, time);
            });
        }
        device.startAgent();
        for (Duration t = Duration.ZERO; t.compareTo(s.duration()) < 0; t = t.plusMillis(100)) {
            time.advance(Duration.ofMillis(100));
            progress.at(t);
        }
        java.util.Set<String> running = table.runningServices();
        Instant end = time.now();
        device.shutDown();
        Path logs = work.resolve("logs");
        copyOut(storage, LOGS, logs);
        return new RunRecord(s.name(), 1, seed, work, logs, ORIGIN, end, injected, running,
                List.of(work.resolve("agent.yaml")), List.of("virtual time, seed " + seed));
    }

    private static void inject(Fault f, VirtualDevice device, ScriptedLauncher launcher, FakeProcessLauncher table,
            List<String> names, FakeTime time) {
        switch (f.kind()) {
            case SERVICE -> launcher.actNow(f.service().orElseThrow(), f.action().orElseThrow(), f.everyStart());
            case KILL_AGENT -> {
                device.killAgent();
                time.schedule(Duration.ofMillis(300), device::startAgent);
            }
            case POWER_CUT -> {
                device.powerCut(names, table);
                time.schedule(f.length(), device::startAgent);
            }
            case FREEZE_AGENT, PUSH_BUNDLE, SERIAL_NOISE, LINK_CUT, CLOCK_JUMP, DISK_FULL ->
                    throw new IllegalStateException("fault " + f.kind().wire() + " is not injectable in tier 1 yet");
        }
    }

    /** Copies what survived in the fake storage (each run's events and meta) to the real folder. */
    private static void copyOut(FakeStorage storage, Path from, Path to) throws IOException {
        Path runs = from.resolve("runs");
        if (!storage.exists(runs)) {
            return;
        }
        for (String run : storage.list(runs)) {
            if (run.equals("current")) {
                continue;
            }
            Files.createDirectories(to.resolve("runs").resolve(run));
            for (String file : List.of("events.jsonl", "run_meta.json")) {
                Optional<byte[]> bytes = storage.read(runs.resolve(run).resolve(file));
                if (bytes.isPresent()) {
                    Files.write(to.resolve("runs").resolve(run).resolve(file), bytes.get());
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
