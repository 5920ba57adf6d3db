package io.waveos.hil.rig;

import io.waveos.agent.fixture.ProcTable;
import io.waveos.hil.scenario.Fault;
import io.waveos.hil.scenario.Scenario;
import io.waveos.hil.service.FakeService;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Tier 2: the device as real processes. The agent runs as its own JVM exactly as on a device (the
 * agent's {@code WaveosCli agent --config}), its services are {@link FakeService} processes, the
 * Guardian (when on) is its own JVM linked over a {@code socat} PTY pair (TCP on loopback when socat is
 * absent), and a {@link PowerController} cuts and restores power. The fake watchdog device is a
 * regular file the agent kicks; {@link DeviceResets} watches it and the Guardian's (mock) reset line.
 *
 * <p>Only processes this rig started are ever signalled: the agents and Guardian it launched, and the
 * processes carrying this work folder's instance marker.
 */
public final class ProcessRig implements Rig {
    /** The small-JVM flags the agent ships with (packaging/systemd/waveos-agent.service, ./waveos). */
    static final List<String> AGENT_FLAGS = List.of("-Xmx32m", "-XX:+UseSerialGC",
            "-Xss256k", "-XX:-UsePerfData", "-XX:+ExitOnOutOfMemoryError");
    /** Fake services start in a tiny interpreted-first JVM: ~60 ms to main. */
    static final List<String> SERVICE_FLAGS = List.of("-Xmx48m", "-Xms8m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-Xss256k", "-XX:-UsePerfData", "-XX:+ExitOnOutOfMemoryError",
            "-Xshare:auto");
    static final Duration POLL = Duration.ofMillis(20);
    /** The fake hardware watchdog's timeout; longer than the Guardian's grace, as on a real board. */
    static final Duration WATCHDOG_TIMEOUT = Duration.ofSeconds(8);

    private final String classPath;
    private final Path java = Path.of(System.getProperty("java.home"), "bin", "java");

    /** @param classPath where the agent, the Guardian and the fake service classes are (the hil jar, or the test class path) */
    public ProcessRig(String classPath) {
        this.classPath = classPath;
    }

    /** A rig on this JVM's own class path. */
    public static ProcessRig onOwnClassPath() {
        return new ProcessRig(System.getProperty("java.class.path"));
    }

    @Override
    public RunRecord run(Scenario s, long seed, Path work, Progress progress)
            throws IOException, InterruptedException {
        Path state = work.resolve("state");
        Path logs = work.resolve("logs");
        Path ctl = work.resolve("ctl");
        Files.createDirectories(ctl);
        for (Scenario.ServiceSpec svc : s.device().services()) {
            Files.write(ctl.resolve(svc.name() + ".ctl"), new byte[0]);
        }
        Path watchdog = work.resolve("dev-watchdog");
        Files.write(watchdog, new byte[0]);
        Path bootId = work.resolve("boot_id");
        Files.writeString(bootId, UUID.randomUUID() + "\n");
        Files.writeString(work.resolve("bootstatus"), "0\n");
        List<Path> evidence = new ArrayList<>(List.of(work.resolve("agent.yaml")));
        List<String> notes = new ArrayList<>();
        try (GuardianProcess guardian = s.guardian().enabled()
                ? GuardianProcess.start(java, classPath, s, work, freePort()) : GuardianProcess.none()) {
            List<String> fake = new ArrayList<>(List.of(java.toString()));
            fake.addAll(SERVICE_FLAGS);
            fake.addAll(List.of("-cp", serviceClassPath(), FakeService.class.getName()));
            Optional<UpdateBundles> bundles = s.device().updatesDeviceClass().isEmpty() ? Optional.empty()
                    : Optional.of(UpdateBundles.create(work.resolve("bundles"), s.device().updatesDeviceClass().get(),
                            fake, ctl));
            Optional<Path> policy = Optional.empty();
            if (s.device().policy().isPresent()) {
                policy = Optional.of(work.resolve("policy.yaml"));
                Files.writeString(policy.get(), s.device().policy().get(), StandardCharsets.UTF_8);
                evidence.add(policy.get());
            }
            Optional<ApiTraffic> api = s.device().api().isEmpty() ? Optional.empty()
                    : Optional.of(new ApiTraffic(ApiAccess.generate(freePort()), bundles));
            String yaml = AgentYaml.render(s, new AgentYaml.Layout(state, logs, ctl, fake, guardian.agentLine(),
                    Optional.of(watchdog), bundles.map(UpdateBundles::trustRoot), Optional.of(work.resolve("bootstatus")),
                    policy), api.map(ApiTraffic::access));
            Files.writeString(work.resolve("agent.yaml"), yaml, StandardCharsets.UTF_8);
            guardian.logFile().ifPresent(evidence::add);
            notes.add(guardian.describe());
            PowerController power = new PowerController(java, classPath, work, bootId, new MarkedProcesses(state));
            Instant origin = Instant.now();
            long originNanos = System.nanoTime();
            DeviceSession session;
            try {
                session = new DeviceSession(power, guardian, new DeviceResets(watchdog, WATCHDOG_TIMEOUT, guardian),
                        new HostFigures(work.resolve("host"), logs.resolve("services"), new MarkedProcesses(state)),
                        bundles, ctl, state.resolve("inbox"), s.faults(), progress, api);
                power.boot();
                for (long now = originNanos; now < originNanos + s.duration().toNanos(); now = System.nanoTime()) {
                    Duration t = Duration.ofNanos(now - originNanos);
                    session.step(now, t);
                    progress.at(t);
                    Thread.sleep(POLL.toMillis());
                }
                session.requireNoArmedCut();
            } catch (IOException | RuntimeException | InterruptedException e) {
                power.shutDown(); // nothing of this device may outlive a failed run
                throw e;
            } finally {
                if (api.isPresent()) {
                    api.get().stop(); // the rig's hostile connections and pushes end with the run
                }
            }
            power.thaw();
            Set<String> running = new HashSet<>();
            for (ProcTable.Proc p : new MarkedProcesses(state).live()) {
                running.add(p.service());
            }
            Instant end = Instant.now();
            power.shutDown();
            evidence.addAll(power.outputs());
            for (int i = 1; i <= power.restores().size(); i++) {
                evidence.add(work.resolve("restores").resolve("restore-" + i + ".txt"));
            }
            return new RunRecord(s.name(), 2, seed, work, logs, origin, end, session.injected(), running, evidence,
                    notes, List.of());
        }
    }

    /** The fake service needs only its own class: the folder or jar holding it. */
    private String serviceClassPath() {
        try {
            return Path.of(FakeService.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return classPath;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void signal(long pid, String sig) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).start();
        kill.waitFor(10, TimeUnit.SECONDS);
    }
}
