package io.waveos.agent.platform.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.waveos.agent.fixture.TestService;
import io.waveos.agent.platform.ExitStatus;
import io.waveos.agent.platform.LaunchSpec;
import io.waveos.agent.platform.ProcessIdentity;
import io.waveos.agent.platform.ProcessLauncher.RunningProcess;
import io.waveos.agent.platform.Signal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinuxProcessLauncherTest {
    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final Path SETSID = Path.of("/usr/bin/setsid");
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

    @TempDir
    Path dir;

    private String marker;
    private LinuxProcessLauncher launcher;
    private final List<RunningProcess> started = new ArrayList<>();
    private final List<Process> plainChildren = new ArrayList<>();

    @BeforeEach
    void createLauncher() throws IOException {
        marker = "test-" + UUID.randomUUID();
        launcher = new LinuxProcessLauncher(marker);
    }

    /**
     * Kills every group this test started, unless its pgid now belongs to a different process, and
     * waits until their output readers are done, so none outlives the test or writes into a deleted
     * temporary directory.
     */
    @AfterEach
    void killEverythingStarted() throws Exception {
        for (RunningProcess process : started) {
            ProcessIdentity identity = process.identity();
            boolean reused = launcher.identify(identity.pgid())
                    .map(now -> now.startTicks() != identity.startTicks()).orElse(false);
            if (!reused) {
                launcher.signalGroup(identity.pgid(), Signal.KILL);
            }
        }
        plainChildren.forEach(Process::destroyForcibly);
        for (RunningProcess process : started) {
            outputClosed(process).get(BOUND.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    void reportsExitCodeOfCrashedChild() throws Exception {
        CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
        start("crasher", java("crash", "3"), exit);
        assertEquals(ExitStatus.code(3), exit.get(BOUND.toSeconds(), TimeUnit.SECONDS));
        assertTrue(stdout("crasher").startsWith("started "), stdout("crasher"));
    }

    @Test
    void reportsKillingSignal() throws Exception {
        CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
        RunningProcess sleeper = start("sleeper", List.of("sleep", "1000"), exit);
        assertTrue(launcher.signalGroup(sleeper.identity().pgid(), Signal.TERM));
        assertEquals(ExitStatus.signal(Signal.TERM), exit.get(BOUND.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void killEndsServiceThatSurvivesTerm() throws Exception {
        CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
        RunningProcess stubborn = start("stubborn",
                List.of("sh", "-c", "trap 'echo term-survived' TERM; echo ready; while :; do sleep 1; done"), exit);
        await("the service is ready", () -> stdout("stubborn").contains("ready"));
        assertTrue(launcher.signalGroup(stubborn.identity().pgid(), Signal.TERM));
        await("the service survived TERM", () -> stdout("stubborn").contains("term-survived"));
        assertFalse(exit.isDone());
        assertTrue(launcher.signalGroup(stubborn.identity().pgid(), Signal.KILL));
        assertEquals(ExitStatus.signal(Signal.KILL), exit.get(BOUND.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void signalsWholeProcessGroupIncludingGrandchildren() throws Exception {
        CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
        RunningProcess parent = start("parent", java("fork-grandchild", "sleep"), exit);
        long grandchild = awaitGrandchild("parent");
        assertEquals(parent.identity().pid(), launcher.identify(grandchild).orElseThrow().pgid());

        assertTrue(launcher.signalGroup(parent.identity().pgid(), Signal.KILL));
        assertEquals(ExitStatus.signal(Signal.KILL), exit.get(BOUND.toSeconds(), TimeUnit.SECONDS));
        await("the grandchild is gone", () -> launcher.identify(grandchild).isEmpty());
    }

    @Test
    void reportsExitWhileGrandchildKeepsOutputOpen() throws Exception {
        CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
        start("leaver", java("fork-grandchild", "crash", "4"), exit);
        assertEquals(ExitStatus.code(4), exit.get(BOUND.toSeconds(), TimeUnit.SECONDS));
        long grandchild = awaitGrandchild("leaver");
        assertTrue(launcher.identify(grandchild).isPresent(), "the grandchild still holds the output pipes");
    }

    @Test
    void rotatesOutputOfFloodingChildWithinCap() throws Exception {
        long max = 64 * 1024;
        int keep = 2;
        CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
        RunningProcess flooder = start(new LaunchSpec("flooder", java("flood"), Map.of(), Optional.empty(),
                Optional.empty(), Optional.empty(), new LaunchSpec.OutputSpec(dir, max, keep)), exit);
        Path oldest = dir.resolve("flooder.stdout.log.2");
        await("output has rotated twice", () -> Files.exists(oldest));
        Object firstOldest = fileKey(oldest);
        assertOutputWithinCap(max, keep);
        await("the oldest file was replaced", () -> !firstOldest.equals(fileKey(oldest)));
        assertOutputWithinCap(max, keep);

        launcher.signalGroup(flooder.identity().pgid(), Signal.KILL);
        exit.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        outputClosed(flooder).get(BOUND.toSeconds(), TimeUnit.SECONDS);
        assertOutputWithinCap(max, keep);
    }

    @Test
    void identifyRejectsReusedPid() throws Exception {
        CompletableFuture<ExitStatus> firstExit = new CompletableFuture<>();
        RunningProcess first = start("first", java("sleep"), firstExit);
        await("the first process runs Java", () -> stdout("first").startsWith("started"));
        assertEquals(Optional.of(first.identity()), launcher.identify(first.identity().pid()));
        launcher.signalGroup(first.identity().pgid(), Signal.KILL);
        firstExit.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        await("the first pid is free", () -> !Files.exists(Path.of("/proc/" + first.identity().pid())));

        RunningProcess second = startWithPid(first.identity().pid());
        awaitExec(second, "sleep");
        Optional<ProcessIdentity> now = launcher.identify(first.identity().pid());
        assertEquals(Optional.of(second.identity()), now);
        assertNotEquals(first.identity().startTicks(), now.orElseThrow().startTicks());
    }

    @Test
    void findsMarkedProcessesByEnvironment() throws Exception {
        LinuxProcessLauncher other = new LinuxProcessLauncher(marker + "-other");
        RunningProcess mine = start("mine", List.of("sleep", "1000"), new CompletableFuture<>());
        RunningProcess theirs = other.start(spec("theirs", List.of("sleep", "1000")), status -> { });
        started.add(theirs);

        await("the marked process is found", () -> launcher.findMarked(marker).contains(mine.identity()));
        await("the other marker is found", () -> launcher.findMarked(marker + "-other").contains(theirs.identity()));
        assertFalse(launcher.findMarked(marker).contains(theirs.identity()));
    }

    @Test
    void rejectsMissingCommandWithOsError() {
        IOException relative = assertThrows(IOException.class,
                () -> launcher.start(spec("missing", List.of("waveos-no-such-program")), status -> { }));
        assertEquals("No such file or directory: waveos-no-such-program", relative.getMessage());
        IOException absolute = assertThrows(IOException.class,
                () -> launcher.start(spec("missing", List.of("/nonexistent/program")), status -> { }));
        assertEquals("No such file or directory: /nonexistent/program", absolute.getMessage());
    }

    @Test
    void rejectsProgramThatIsNotExecutable() throws IOException {
        Path script = Files.writeString(dir.resolve("not-executable.sh"), "#!/bin/sh\n");
        IOException e = assertThrows(IOException.class,
                () -> launcher.start(spec("plain", List.of(script.toString())), status -> { }));
        assertEquals("Permission denied: " + script, e.getMessage());
    }

    @Test
    void searchesTheServicePathForItsProgram() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path hello = Files.writeString(bin.resolve("waveos-hello"), "#!/bin/sh\necho hello from path\n");
        Files.setPosixFilePermissions(hello, PosixFilePermissions.fromString("rwxr-xr-x"));
        CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
        start(new LaunchSpec("hello", List.of("waveos-hello"), Map.of("PATH", bin + ":/usr/bin:/bin"),
                Optional.empty(), Optional.empty(), Optional.empty(), new LaunchSpec.OutputSpec(dir, 4096, 1)), exit);
        assertEquals(ExitStatus.code(0), exit.get(BOUND.toSeconds(), TimeUnit.SECONDS));
        await("the output is written", () -> stdout("hello").equals("hello from path\n"));
    }

    @Test
    void pidEqualsProcessGroup() throws Exception {
        RunningProcess sleeper = start("leader", List.of("sleep", "1000"), new CompletableFuture<>());
        long pid = sleeper.identity().pid();
        awaitExec(sleeper, "sleep");
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        assertEquals(Long.toString(pid), fields[2], "pgrp (field 5)");
        assertEquals(Long.toString(pid), fields[3], "session (field 6)");
        assertEquals(pid, sleeper.identity().pgid());
    }

    @Test
    void passesEnvironmentMarkerWorkingDirectoryAndSeparateStreams() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
        start(new LaunchSpec("env", List.of("sh", "-c", "echo \"$GREETING $WAVEOS_AGENT_MARKER\"; pwd; echo oops >&2"),
                Map.of("GREETING", "hello"), Optional.of(work), Optional.empty(), Optional.empty(),
                new LaunchSpec.OutputSpec(dir, 4096, 1)), exit);
        assertEquals(ExitStatus.code(0), exit.get(BOUND.toSeconds(), TimeUnit.SECONDS));
        await("stdout is written", () -> stdout("env").equals("hello " + marker + "\n" + work + "\n"));
        await("stderr is written", () -> read(dir.resolve("env.stderr.log")).equals("oops\n"));
    }

    @Test
    void runsServiceAsConfiguredUserWithItsPrimaryGroup() throws Exception {
        assumeTrue(Files.getAttribute(Path.of("/proc/self"), "unix:uid").equals(0), "needs root to switch user");
        CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
        start(new LaunchSpec("nobody", List.of("sh", "-c", "id -u; id -g"), Map.of(), Optional.empty(),
                Optional.of("nobody"), Optional.empty(), new LaunchSpec.OutputSpec(dir, 4096, 1)), exit);
        assertEquals(ExitStatus.code(0), exit.get(BOUND.toSeconds(), TimeUnit.SECONDS));
        long gid = LinuxProcessLauncher.primaryGroupOf("nobody");
        await("ids are written", () -> stdout("nobody").equals("65534\n" + gid + "\n"));
    }

    @Test
    void signalsOwnChildThatDoesNotYetLeadItsGroup() throws Exception {
        Process child = new ProcessBuilder("sleep", "1000").start();
        plainChildren.add(child);
        assertTrue(launcher.signalGroup(child.pid(), Signal.TERM));
        assertTrue(child.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS));
        assertEquals(ExitStatus.signal(Signal.TERM), LinuxProcessLauncher.decode(child.exitValue()));
    }

    @Test
    void signalGroupReportsVanishedGroup() throws Exception {
        CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
        RunningProcess sleeper = start("gone", List.of("sleep", "1000"), exit);
        launcher.signalGroup(sleeper.identity().pgid(), Signal.KILL);
        exit.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        await("the pid is reaped", () -> !Files.exists(Path.of("/proc/" + sleeper.identity().pid())));
        assertFalse(launcher.signalGroup(sleeper.identity().pgid(), Signal.CONT));
    }

    @Test
    void prefixesSetprivWithUserGroupAndItsSupplementaryGroups() throws IOException {
        assertEquals(List.of("/usr/bin/setsid", "/usr/bin/setpriv", "--reuid=svc", "--regid=dialout", "--init-groups",
                        "/opt/svc/bin/run", "--port", "80"),
                LinuxProcessLauncher.commandLine(SETSID, Optional.of(SETPRIV), Optional.of("svc"),
                        Optional.of("dialout"), Path.of("/opt/svc/bin/run"), List.of("--port", "80")));
    }

    @Test
    void clearsSupplementaryGroupsWhenOnlyAGroupIsSet() throws IOException {
        assertEquals(List.of("/usr/bin/setsid", "/usr/bin/setpriv", "--regid=dialout", "--clear-groups", "/bin/run"),
                LinuxProcessLauncher.commandLine(SETSID, Optional.of(SETPRIV), Optional.empty(), Optional.of("dialout"),
                        Path.of("/bin/run"), List.of()));
    }

    @Test
    void usesOnlySetsidWithoutUserOrGroup() throws IOException {
        assertEquals(List.of("/usr/bin/setsid", "/bin/run", "a"), LinuxProcessLauncher.commandLine(
                SETSID, Optional.empty(), Optional.empty(), Optional.empty(), Path.of("/bin/run"), List.of("a")));
    }

    @Test
    void refusesUserOrGroupWithoutSetpriv() {
        IOException e = assertThrows(IOException.class, () -> LinuxProcessLauncher.commandLine(
                SETSID, Optional.empty(), Optional.empty(), Optional.of("dialout"), Path.of("/bin/run"), List.of()));
        assertTrue(e.getMessage().contains("setpriv"), e.getMessage());
    }

    @Test
    void looksUpPrimaryGroupOfUser() throws IOException {
        assertEquals(0, LinuxProcessLauncher.primaryGroupOf("root"));
        IOException e = assertThrows(IOException.class, () -> LinuxProcessLauncher.primaryGroupOf("waveos-no-such-user"));
        assertTrue(e.getMessage().startsWith("No such user: waveos-no-such-user"), e.getMessage());
    }

    @Test
    void decodesSignalConventionOfJavaExitValues() {
        assertEquals(ExitStatus.code(0), LinuxProcessLauncher.decode(0));
        assertEquals(ExitStatus.code(3), LinuxProcessLauncher.decode(3));
        assertEquals(ExitStatus.code(128), LinuxProcessLauncher.decode(128));
        assertEquals(ExitStatus.signal(Signal.KILL), LinuxProcessLauncher.decode(137));
        assertEquals(ExitStatus.signal(Signal.TERM), LinuxProcessLauncher.decode(143));
        // 128 + 34 is a real-time signal the port has no name for; indistinguishable from exit(162).
        assertEquals(ExitStatus.code(162), LinuxProcessLauncher.decode(162));
        assertEquals(ExitStatus.code(255), LinuxProcessLauncher.decode(255));
    }

    private RunningProcess start(String service, List<String> command, CompletableFuture<ExitStatus> exit)
            throws IOException {
        return start(spec(service, command), exit);
    }

    private RunningProcess start(LaunchSpec spec, CompletableFuture<ExitStatus> exit) throws IOException {
        RunningProcess process = launcher.start(spec, exit::complete);
        started.add(process);
        return process;
    }

    /** Forces the kernel to hand out {@code pid} again by setting the last allocated pid just below it. */
    private RunningProcess startWithPid(long pid) throws IOException {
        Path lastPid = Path.of("/proc/sys/kernel/ns_last_pid");
        assumeTrue(Files.isWritable(lastPid), "needs a writable ns_last_pid to reuse a pid");
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                Files.writeString(lastPid, Long.toString(pid - 1));
            } catch (IOException e) {
                assumeTrue(false, "cannot write ns_last_pid: " + e);
            }
            RunningProcess process = start("second", List.of("sleep", "1000"), new CompletableFuture<>());
            if (process.identity().pid() == pid) {
                return process;
            }
            launcher.signalGroup(process.identity().pgid(), Signal.KILL);
        }
        assumeTrue(false, "other processes kept taking pid " + pid);
        throw new IllegalStateException("unreachable");
    }

    private static CompletableFuture<Void> outputClosed(RunningProcess process) {
        return ((LinuxProcessLauncher.Started) process).outputClosed().toCompletableFuture();
    }

    /** Until setsid(1) has exec'd the service, /proc still shows the process in the agent's group. */
    private static void awaitExec(RunningProcess process, String comm) {
        Path file = Path.of("/proc/" + process.identity().pid() + "/comm");
        await("setsid has exec'd " + comm, () -> read(file).equals(comm + "\n"));
    }

    private long awaitGrandchild(String service) {
        Pattern line = Pattern.compile("grandchild (\\d+)");
        await("the grandchild's pid is printed", () -> line.matcher(stdout(service)).find());
        Matcher m = line.matcher(stdout(service));
        assertTrue(m.find());
        return Long.parseLong(m.group(1));
    }

    private void assertOutputWithinCap(long max, int keep) throws IOException {
        long total = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("flooder.stdout.log")).toList()) {
                long size = sizeOrZero(file);
                assertTrue(size <= max, file + " holds " + size + " bytes, over the cap of " + max);
                total += size;
            }
        }
        assertTrue(total <= (keep + 1) * max + 8192, "total " + total);
        assertFalse(Files.exists(dir.resolve("flooder.stdout.log." + (keep + 1))));
    }

    private static long sizeOrZero(Path file) throws IOException {
        try {
            return Files.size(file);
        } catch (NoSuchFileException e) {
            return 0; // rotated away between listing and reading
        }
    }

    private static Object fileKey(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return "absent";
        }
    }

    private LaunchSpec spec(String service, List<String> command) {
        return new LaunchSpec(service, command, Map.of(), Optional.empty(), Optional.empty(), Optional.empty(),
                new LaunchSpec.OutputSpec(dir, 1024 * 1024, 1));
    }

    private static List<String> java(String... steps) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx32m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", System.getProperty("waveos.test.classes"), TestService.class.getName()));
        command.addAll(List.of(steps));
        return command;
    }

    private String stdout(String service) {
        return read(dir.resolve(service + ".stdout.log"));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("gave up after " + BOUND + " waiting until " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }
}
