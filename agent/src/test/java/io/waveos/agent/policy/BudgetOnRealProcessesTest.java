package io.waveos.agent.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.waveos.agent.config.ConfigException;
import io.waveos.agent.fixture.Eventually;
import io.waveos.agent.fixture.TestService;
import io.waveos.agent.mode.ModeInput;
import io.waveos.agent.platform.LaunchSpec;
import io.waveos.agent.platform.ProcessIdentity;
import io.waveos.agent.platform.ProcessLauncher.RunningProcess;
import io.waveos.agent.platform.ProcessMetrics;
import io.waveos.agent.platform.ProcessPriority;
import io.waveos.agent.platform.ResourceLimits;
import io.waveos.agent.platform.Signal;
import io.waveos.agent.platform.linux.ExecutorScheduler;
import io.waveos.agent.platform.linux.LinuxCgroupLimits;
import io.waveos.agent.platform.linux.LinuxProcessLauncher;
import io.waveos.agent.platform.linux.LinuxProcessMetrics;
import io.waveos.agent.platform.linux.LinuxProcessPriority;
import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.MetricKey;
import io.waveos.agent.telemetry.Sample;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Budgets and priority caps enforced on real processes started by the test (a CPU spinner, a memory
 * hog, a sleeper), measured with {@link LinuxProcessMetrics}: the engine and executor run on a
 * single-threaded "loop", samples are taken every 250 ms, signals and priorities are real.
 */
class BudgetOnRealProcessesTest {
    static final Duration BOUND = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    LinuxProcessLauncher launcher;
    final List<RunningProcess> started = new ArrayList<>();
    final ExecutorService loop = Executors.newSingleThreadExecutor();
    final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    final ExecutorScheduler scheduler = new ExecutorScheduler();
    final ProcessMetrics metrics = new LinuxProcessMetrics();
    final List<PolicyCommand> commands = Collections.synchronizedList(new ArrayList<>());
    final List<String> restarts = Collections.synchronizedList(new ArrayList<>());
    final List<Event> events = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void setUp() throws IOException {
        launcher = new LinuxProcessLauncher("policy-test-" + UUID.randomUUID());
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        sampler.shutdownNow();
        loop.shutdownNow();
        loop.awaitTermination(5, TimeUnit.SECONDS);
        scheduler.close();
        for (RunningProcess p : started) {
            launcher.signalGroup(p.identity().pgid(), Signal.CONT);
            launcher.signalGroup(p.identity().pgid(), Signal.KILL);
        }
    }

    RunningProcess start(String name, List<String> command) throws IOException {
        RunningProcess p = launcher.start(new LaunchSpec(name, command, Map.of(), Optional.empty(), Optional.empty(),
                Optional.empty(), new LaunchSpec.OutputSpec(dir, 1 << 20, 1)), status -> { });
        started.add(p);
        return p;
    }

    static List<String> java(String xmx, String... steps) {
        List<String> c = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                xmx, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("waveos.test.classes"),
                TestService.class.getName()));
        c.addAll(List.of(steps));
        return c;
    }

    /** Runs the engine on {@code loop}, sampling {@code service}'s process every 250 ms. */
    PolicyEngine drive(String policy, String service, ProcessIdentity process) throws ConfigException {
        PolicyEngine engine = new PolicyEngine(new PolicyLoader().parse("p.yaml", policy.getBytes(StandardCharsets.UTF_8)));
        PolicyExecutor executor = new PolicyExecutor(new PolicyExecutor.Ports(events::add, i -> { },
                new LinuxProcessPriority(), ResourceLimits.none("test"), launcher::signalGroup, scheduler, loop::execute,
                new PolicyExecutor.Services() {
                    @Override
                    public Optional<ProcessIdentity> process(String s) {
                        return s.equals(service) ? Optional.of(process) : Optional.empty();
                    }

                    @Override
                    public void restart(String s, String reason) {
                        restarts.add(s);
                    }

                    @Override
                    public void order(ModeInput.PolicyOrder order) {
                    }
                }));
        ProcessMetrics.Figures[] last = new ProcessMetrics.Figures[1];
        long[] lastNanos = new long[1];
        sampler.scheduleAtFixedRate(() -> loop.execute(() -> {
            try {
                Optional<ProcessMetrics.Figures> f = metrics.read(process.pid());
                long now = System.nanoTime();
                Map<MetricKey, Double> values = new LinkedHashMap<>();
                if (f.isPresent()) {
                    values.put(MetricKey.service(service, "rss_bytes"), (double) f.get().rssBytes());
                    if (last[0] != null) {
                        f.get().cpuPermilleSince(last[0], now - lastNanos[0], metrics.ticksPerSecond())
                                .ifPresent(c -> values.put(MetricKey.service(service, "cpu_permille"), (double) c));
                    }
                    last[0] = f.get();
                    lastNanos[0] = now;
                }
                for (PolicyCommand c : engine.onSample(new Sample(Instant.now(), now, values))) {
                    commands.add(c);
                    executor.run(c);
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }), 0, 250, TimeUnit.MILLISECONDS);
        return engine;
    }

    boolean has(Class<? extends PolicyCommand> kind) {
        synchronized (commands) {
            return commands.stream().anyMatch(kind::isInstance);
        }
    }

    /** CPU of {@code pid} over {@code window}, permille of one core. */
    int cpuOver(long pid, Duration window) throws IOException, InterruptedException {
        ProcessMetrics.Figures a = metrics.read(pid).orElseThrow();
        long t0 = System.nanoTime();
        Thread.sleep(window.toMillis());
        ProcessMetrics.Figures b = metrics.read(pid).orElseThrow();
        return b.cpuPermilleSince(a, System.nanoTime() - t0, metrics.ticksPerSecond()).orElseThrow();
    }

    @Test
    void aCpuSpinnerOverItsBudgetIsWarnedThenThrottledByADutyCycle() throws Exception {
        RunningProcess spinner = start("spinner", java("-Xmx32m", "spin"));
        Eventually.until(BOUND, () -> cpu(spinner) > 700, () -> "the spinner never burnt a core");
        drive("policy_version: 1\nrules:\n  - id: spin-budget\n    budget: {service: spinner, cpu: 300, warn_after: 0s,"
                + " throttle_after: 1s, restart_after: 10m}\n", "spinner", spinner.identity());
        Eventually.until(BOUND, () -> has(PolicyCommand.Throttle.class), () -> "no throttle: " + commands);
        int throttled = cpuOver(spinner.identity().pid(), Duration.ofSeconds(2));
        assertTrue(throttled < 600, "throttled to a 27 % duty cycle, the spinner used " + throttled + " permille");
        assertTrue(events.stream().anyMatch(e -> "budget_warn".equals(e.fields().get("action"))), events.toString());
        assertTrue(restarts.isEmpty());
    }

    private int cpu(RunningProcess p) {
        try {
            return cpuOver(p.identity().pid(), Duration.ofMillis(500));
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aMemoryHogOverItsBudgetIsWarnedThenRestartedWithoutThrottling() throws Exception {
        RunningProcess hog = start("hog", java("-Xmx400m", "hog", "200"));
        Eventually.until(BOUND, () -> Files.exists(dir.resolve("hog.stdout.log")) && read(dir.resolve("hog.stdout.log"))
                .contains("hogging 200"), () -> "the hog never allocated");
        long rss = metrics.read(hog.identity().pid()).orElseThrow().rssBytes();
        assertTrue(rss > 150L << 20, "the hog holds " + rss + " bytes");
        drive("policy_version: 1\nrules:\n  - id: mem-budget\n    budget: {service: hog, memory: 100MiB, warn_after: 0s,"
                + " throttle_after: 0s, restart_after: 1s}\n", "hog", hog.identity());
        Eventually.until(BOUND, () -> !restarts.isEmpty(), () -> "no restart: " + commands);
        assertEquals("hog", restarts.get(0));
        assertFalse(has(PolicyCommand.Throttle.class), "memory is not helped by throttling");
        assertTrue(events.stream().anyMatch(e -> "budget_warn".equals(e.fields().get("action"))));
    }

    @Test
    void aPriorityCapSetsNiceAndIdleIoOnTheWholeProcessGroup() throws Exception {
        RunningProcess sleeper = start("sleeper", List.of("sh", "-c", "sleep 1000 & wait"));
        ProcessPriority priority = new LinuxProcessPriority();
        priority.setNice(sleeper.identity().pgid(), 10);
        priority.setIoPriority(sleeper.identity().pgid(), ProcessPriority.IoClass.IDLE, 0);
        assertEquals("10", statField(sleeper.identity().pid(), 19));
        Process ionice = new ProcessBuilder("ionice", "-p", Long.toString(sleeper.identity().pid()))
                .redirectErrorStream(true).start();
        String io = new String(ionice.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals("idle", io);
    }

    @Test
    void theCgroupBudgetIsWrittenOnlyWhereACgroupIsDelegated() throws Exception {
        LinuxCgroupLimits limits = LinuxCgroupLimits.detect();
        assumeTrue(limits.unavailable().isEmpty(), "needs a delegated cgroup v2 (systemd Delegate=yes); here: "
                + limits.unavailable().orElse(""));
        RunningProcess hog = start("cg-hog", java("-Xmx64m", "hog", "8"));
        limits.place("cg-hog", hog.identity().pid(), Optional.of(256L << 20), Optional.of(200));
        Path cg = limits.delegated().orElseThrow().resolve("service-cg-hog");
        assertEquals(String.valueOf(256L << 20), Files.readString(cg.resolve("memory.max")).trim());
        assertEquals("20000 100000", Files.readString(cg.resolve("cpu.max")).trim());
        assertTrue(Files.readString(cg.resolve("cgroup.procs")).contains(Long.toString(hog.identity().pid())));
    }

    static String statField(long pid, int field) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return after[field - 3];
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }
}
