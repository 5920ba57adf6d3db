package io.waveos.agent.platform.linux;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import io.waveos.agent.platform.ExitStatus;
import io.waveos.agent.platform.LaunchSpec;
import io.waveos.agent.platform.OutputSink;
import io.waveos.agent.platform.ProcessIdentity;
import io.waveos.agent.platform.ProcessLauncher;
import io.waveos.agent.platform.Signal;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Starts services as {@code setsid [setpriv ...] PROGRAM ARGS}, so each one leads a new session and
 * process group (pid == pgid): the JVM's child is not a group leader, so {@code setsid} calls
 * setsid(2) and execs in place without forking.
 *
 * <p>Exit status: the JDK reports a child killed by signal N as exit value 128 + N, and so does a
 * shell whose own child was killed. Values 129..159 that name a known {@link Signal} are therefore
 * reported as that signal; a program that itself calls {@code exit(130)} is indistinguishable from one
 * killed by SIGINT and is reported as SIGINT.
 *
 * <p>Exit is reported as soon as the JDK has reaped the group leader, never after waiting for its
 * output pipes to close: a grandchild that inherited them may keep them open indefinitely. (The JDK
 * closes the pipes' read ends once the leader has exited and any buffered bytes were read, so such
 * a grandchild's later output is lost; the supervisor stops the group when its leader ends anyway.
 * On JDK 17 that closing waits for the reader's pending read, so one JDK reaper thread waits for as
 * long as such a grandchild stays silent; exit reporting does not depend on it.)
 *
 * <p>Output: one daemon reader thread per stream copies through a fixed 8 KiB buffer into the
 * {@link OutputSink} (the spool, whose channels never block) and, when the spec asks for files, a
 * {@link RotatingOutputFile} (best effort, no fsync), so a flooding service cannot grow the agent's
 * memory nor stall on a full pipe.
 *
 * <p>Threading: all methods may be called from any thread. {@link ExitListener}s run on the JDK's
 * common fork-join pool (via {@link Process#onExit()}), so they must only enqueue an event.
 */
public final class LinuxProcessLauncher implements ProcessLauncher {
    /** The environment variable that carries the agent's marker into every service. */
    public static final String MARKER_VARIABLE = "WAVEOS_AGENT_MARKER";

    /** Variables systemd gives the agent that must not leak into services. */
    static final java.util.Set<String> SERVICE_MANAGER_VARIABLES = java.util.Set.of("NOTIFY_SOCKET",
            "WATCHDOG_USEC", "WATCHDOG_PID", "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES", "INVOCATION_ID");

    private static final int OUTPUT_BUFFER_BYTES = 8192;
    private static final long READER_STACK_BYTES = 256 * 1024;
    private static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";
    private static final Path PROC = Path.of("/proc");
    private static final File DEV_NULL = new File("/dev/null");

    private final String marker;
    private final Path setsid;
    private final Optional<Path> setpriv;
    private final OutputSink sink;
    private final long agentPid = ProcessHandle.current().pid();

    /**
     * Locates {@code setsid} (required) and {@code setpriv} (needed only for services with a user or
     * group) once, so that starting a service does no lookups beyond the service's own program.
     *
     * @param marker this agent instance's id, put into every service's environment as
     *     {@value #MARKER_VARIABLE}
     * @throws IOException when {@code setsid} (util-linux) is not installed
     */
    public LinuxProcessLauncher(String marker) throws IOException {
        this(marker, OutputSink.none());
    }

    /**
     * As {@link #LinuxProcessLauncher(String)}, with every service's output also going to {@code sink}.
     */
    public LinuxProcessLauncher(String marker, OutputSink sink) throws IOException {
        this.sink = sink;
        if (marker.isEmpty() || marker.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("marker must be non-empty and free of NUL: '" + marker + "'");
        }
        this.marker = marker;
        this.setsid = locateTool("setsid").orElseThrow(
                () -> new IOException("No such file or directory: setsid (util-linux) is required"));
        this.setpriv = locateTool("setpriv");
    }

    /**
     * {@inheritDoc}
     *
     * <p>The program is resolved before anything is started: a name without '/' is searched on the
     * service's effective PATH (empty entries are skipped, unlike execvp), anything else is taken
     * relative to the working directory. A missing program fails with "No such file or directory:
     * NAME", one that is not an executable file with "Permission denied: NAME". The resolved path is
     * what {@code setsid} executes, so it cannot look up a different one. The returned identity's
     * pgid is the pid; its start time is 0 when the process was already gone before it could be read.
     * For the first moments, until {@code setsid} has run, {@link #identify} still shows the agent's
     * own pgid; {@link #signalGroup} covers that window.
     */
    @Override
    public RunningProcess start(LaunchSpec spec, ExitListener onExit) throws IOException {
        ProcessBuilder builder = new ProcessBuilder();
        Map<String, String> environment = builder.environment();
        // The service manager's channel is the agent's alone: a service that inherited it could
        // send READY=1 or WATCHDOG=1 on the agent's behalf.
        environment.keySet().removeAll(SERVICE_MANAGER_VARIABLES);
        environment.putAll(spec.environment());
        environment.put(MARKER_VARIABLE, marker);
        Path workingDirectory = spec.workingDirectory().orElse(Path.of("")).toAbsolutePath();
        spec.workingDirectory().ifPresent(d -> builder.directory(d.toFile()));

        Path program = resolveProgram(spec.command().get(0), environment.get("PATH"), workingDirectory);
        Optional<String> group = spec.group();
        if (spec.user().isPresent() && group.isEmpty()) {
            group = Optional.of(Long.toString(primaryGroupOf(spec.user().get())));
        }
        builder.command(commandLine(setsid, setpriv, spec.user(), group, program,
                spec.command().subList(1, spec.command().size())));
        builder.redirectInput(ProcessBuilder.Redirect.from(DEV_NULL));

        LaunchSpec.OutputSpec output = spec.output();
        Optional<RotatingOutputFile> stdout = openOutput(output, spec.service() + ".stdout.log");
        Optional<RotatingOutputFile> stderr = Optional.empty();
        Process process;
        try {
            stderr = openOutput(output, spec.service() + ".stderr.log");
            process = builder.start();
        } catch (IOException | RuntimeException e) {
            closeAfterFailure(e, stdout, stderr);
            throw e;
        }
        long pid = process.pid();
        long startTicks = ProcStat.read(pid).filter(s -> s.ppid() == agentPid).map(ProcStat::startTicks).orElse(0L);
        ProcessIdentity identity = new ProcessIdentity(pid, pid, startTicks);
        CompletableFuture<Void> stdoutClosed = startReader(process.getInputStream(), stdout,
                sink.open(spec.service(), "stdout"), "output-" + spec.service() + "-stdout");
        CompletableFuture<Void> stderrClosed = startReader(process.getErrorStream(), stderr,
                sink.open(spec.service(), "stderr"), "output-" + spec.service() + "-stderr");
        process.onExit().thenAccept(p -> onExit.exited(decode(p.exitValue())));
        return new Started(identity, CompletableFuture.allOf(stdoutClosed, stderrClosed));
    }

    /**
     * @param outputClosed completes when both output readers have reached EOF and closed their files,
     *     which may be long after exit while a descendant holds the pipes
     */
    record Started(ProcessIdentity identity, CompletionStage<Void> outputClosed) implements RunningProcess {
    }

    /**
     * {@inheritDoc}
     *
     * <p>A child started moments ago may not have called setsid(2) yet, so its group does not exist:
     * then, if {@code pgid} is still this agent's own child and not yet a group leader, it has no
     * children of its own and is signalled directly.
     *
     * @throws UncheckedIOException on EPERM (the group exists but every member belongs to someone the
     *     agent may not signal: the agent lost its privileges or the pgid is not one it launched) and
     *     on any other unexpected errno; neither may be mistaken for "the group is gone"
     */
    @Override
    public boolean signalGroup(long pgid, Signal signal) {
        int group = Math.toIntExact(pgid);
        if (group <= 0) {
            throw new IllegalArgumentException("pgid must be positive: " + pgid);
        }
        // Two rounds: a child that calls setsid(2) between the group kill and the /proc read is a
        // group leader from then on, so the second group kill reaches it.
        for (int round = 0; round < 2; round++) {
            if (LibC.kill(-group, signal.number()) == 0) {
                return true;
            }
            int errno = LibC.errno();
            if (errno != LibC.ESRCH) {
                throw killFailed(pgid, signal, errno);
            }
            Optional<ProcStat> stat = ProcStat.read(pgid);
            if (stat.isEmpty() || !stat.get().alive() || stat.get().ppid() != agentPid) {
                return false;
            }
            if (stat.get().pgid() != pgid) {
                return LibC.kill(group, signal.number()) == 0;
            }
        }
        return false;
    }

    private static UncheckedIOException killFailed(long pgid, Signal signal, int errno) {
        String reason = errno == LibC.EPERM ? "EPERM (Operation not permitted)" : "errno " + errno;
        return new UncheckedIOException(new IOException(
                "kill(-" + pgid + ", SIG" + signal.name() + ") failed: " + reason));
    }

    /**
     * {@inheritDoc}
     *
     * <p>A zombie (state Z or X) is not alive: it has exited and holds nothing but its pid. Kernel
     * threads (pgid 0) are never reported.
     */
    @Override
    public Optional<ProcessIdentity> identify(long pid) {
        return ProcStat.read(pid)
                .filter(s -> s.alive() && s.pgid() > 0)
                .map(s -> new ProcessIdentity(pid, s.pgid(), s.startTicks()));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Matches the exact entry {@code WAVEOS_AGENT_MARKER=<marker>} in {@code /proc/PID/environ}
     * (the environment at exec). Descendants inherit it, so callers group the result by pgid. The
     * agent's own process is never reported. Processes that vanish, are zombies or kernel threads, or
     * deny access are skipped; any other read failure is thrown as {@link UncheckedIOException}.
     */
    @Override
    public List<ProcessIdentity> findMarked(String marker) {
        byte[] entry = (MARKER_VARIABLE + "=" + marker).getBytes(StandardCharsets.UTF_8);
        List<ProcessIdentity> found = new ArrayList<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, p -> isPid(p.getFileName().toString()))) {
            for (Path process : processes) {
                long pid = Long.parseLong(process.getFileName().toString());
                if (pid != agentPid && environ(process).map(e -> hasEntry(e, entry)).orElse(false)) {
                    identify(pid).ifPresent(found::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(found);
    }

    /**
     * The environment of a process; empty when it cannot be read because the process is gone, a
     * zombie or a kernel thread (newer kernels answer ESRCH for those), or denies access.
     */
    private Optional<byte[]> environ(Path process) {
        try {
            return ProcStat.readProcFile(process.resolve("environ"));
        } catch (UncheckedIOException e) {
            if (identify(Long.parseLong(process.getFileName().toString())).isEmpty()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** {@code setsid [setpriv --reuid=U --regid=G --init-groups | setpriv --regid=G --clear-groups] PROGRAM ARGS}. */
    static List<String> commandLine(Path setsid, Optional<Path> setpriv, Optional<String> user, Optional<String> group,
            Path program, List<String> arguments) throws IOException {
        List<String> argv = new ArrayList<>(arguments.size() + 6);
        argv.add(setsid.toString());
        if (user.isPresent() || group.isPresent()) {
            if (group.isEmpty()) {
                throw new IllegalArgumentException("resolve the primary group of user " + user.get() + " first");
            }
            argv.add(setpriv.orElseThrow(() -> new IOException(
                    "No such file or directory: setpriv (util-linux) is required to run as a user or group")).toString());
            user.ifPresent(u -> argv.add("--reuid=" + u));
            argv.add("--regid=" + group.get());
            argv.add(user.isPresent() ? "--init-groups" : "--clear-groups");
        }
        argv.add(program.toString());
        argv.addAll(arguments);
        return argv;
    }

    /** Finds the program execvp would run, failing with the errno text execve would give. */
    static Path resolveProgram(String program, String pathVariable, Path workingDirectory) throws IOException {
        if (program.indexOf('/') >= 0) {
            Path path = workingDirectory.resolve(program);
            if (!Files.exists(path)) {
                throw new IOException("No such file or directory: " + program);
            }
            if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
                throw new IOException("Permission denied: " + program);
            }
            return path;
        }
        boolean foundButNotExecutable = false;
        for (String directory : (pathVariable == null ? DEFAULT_PATH : pathVariable).split(":")) {
            if (directory.isEmpty() || program.isEmpty()) {
                continue;
            }
            Path candidate = workingDirectory.resolve(directory).resolve(program);
            if (Files.isRegularFile(candidate)) {
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
                foundButNotExecutable = true;
            }
        }
        throw new IOException((foundButNotExecutable ? "Permission denied: " : "No such file or directory: ") + program);
    }

    /** Decodes the JDK's exit value: 128 + N for a known signal N, else the exit code. */
    static ExitStatus decode(int exitValue) {
        if (exitValue > 128) {
            Optional<Signal> signal = Signal.ofNumber(exitValue - 128);
            if (signal.isPresent()) {
                return ExitStatus.signal(signal.get());
            }
        }
        return ExitStatus.code(exitValue);
    }

    /** The primary gid of {@code user} through NSS (getpwnam_r), as setpriv has no such lookup. */
    static long primaryGroupOf(String user) throws IOException {
        Memory passwd = new Memory(2L * Native.POINTER_SIZE + 64);
        Memory result = new Memory(Native.POINTER_SIZE);
        for (long bufferBytes = 16 * 1024; bufferBytes <= 1024 * 1024; bufferBytes *= 4) {
            Memory buffer = new Memory(bufferBytes);
            int error = LibC.getpwnam_r(user, passwd, buffer, new NativeLong(bufferBytes), result);
            if (error == LibC.ERANGE) {
                continue;
            }
            if (error != 0) {
                throw new IOException("getpwnam_r(" + user + ") failed: errno " + error);
            }
            if (result.getPointer(0) == null) {
                throw new IOException("No such user: " + user + " (set a group explicitly for a numeric uid)");
            }
            return Integer.toUnsignedLong(passwd.getInt(2L * Native.POINTER_SIZE + 4));
        }
        throw new IOException("getpwnam_r(" + user + ") failed: entry larger than 1 MiB");
    }

    private static boolean hasEntry(byte[] environ, byte[] entry) {
        int start = 0;
        while (start < environ.length) {
            int end = start;
            while (end < environ.length && environ[end] != 0) {
                end++;
            }
            if (end - start == entry.length && Arrays.equals(environ, start, end, entry, 0, entry.length)) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    private static boolean isPid(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) < '0' || name.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static Optional<Path> locateTool(String name) {
        String path = System.getenv("PATH");
        for (String directory : ("/usr/bin:/bin:/usr/sbin:/sbin:" + (path == null ? "" : path)).split(":")) {
            if (!directory.isEmpty()) {
                Path candidate = Path.of(directory, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate.toAbsolutePath());
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<RotatingOutputFile> openOutput(LaunchSpec.OutputSpec output, String fileName)
            throws IOException {
        if (!output.files()) {
            return Optional.empty();
        }
        return Optional.of(new RotatingOutputFile(output.directory().resolve(fileName), output.maxFileBytes(),
                output.keepFiles()));
    }

    @SafeVarargs
    private static void closeAfterFailure(Exception failure, Optional<RotatingOutputFile>... files) {
        for (Optional<RotatingOutputFile> file : files) {
            if (file.isPresent()) {
                try {
                    file.get().close();
                } catch (IOException e) {
                    failure.addSuppressed(e);
                }
            }
        }
    }

    private static CompletableFuture<Void> startReader(InputStream pipe, Optional<RotatingOutputFile> file,
            OutputSink.Channel channel, String name) {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        Thread reader = new Thread(null, () -> {
            try {
                copy(pipe, file, channel);
            } finally {
                closed.complete(null);
            }
        }, name, READER_STACK_BYTES);
        reader.setDaemon(true);
        reader.start();
        return closed;
    }

    /** Copies until EOF; a read failure is written into the log itself before it is closed. */
    private static void copy(InputStream pipe, Optional<RotatingOutputFile> file, OutputSink.Channel channel) {
        byte[] buffer = new byte[OUTPUT_BUFFER_BYTES];
        try (pipe) {
            for (int n = pipe.read(buffer); n >= 0; n = pipe.read(buffer)) {
                channel.write(buffer, 0, n);
                if (file.isPresent()) {
                    file.get().write(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            byte[] note = ("[waveos: output reader failed: " + e + "]\n").getBytes(StandardCharsets.UTF_8);
            channel.write(note, 0, note.length);
            file.ifPresent(f -> f.write(note, 0, note.length));
        }
        channel.close();
        if (file.isEmpty()) {
            return;
        }
        try {
            file.get().close();
        } catch (IOException e) {
            // Nothing is left to write into; the agent's stderr is captured by its service manager.
            System.err.println("waveos: closing service output failed: " + e);
        }
    }
}
