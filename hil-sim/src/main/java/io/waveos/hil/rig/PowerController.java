package io.waveos.hil.rig;

import io.waveos.agent.platform.crashsim.CrashRestorer;
import io.waveos.agent.platform.crashsim.CrashShadow;
import io.waveos.agent.platform.crashsim.RestoreReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The device's power and its boot: starts the agent JVM as the boot would (systemd's unit), kills it
 * alone ({@code kill -9}), freezes it (SIGSTOP), and cuts the power (SIGKILL of the agent and of every
 * process carrying this device's marker, then the crash-shadow restore, then a new boot id so the next
 * agent sees a new boot). The agent runs on the crash-shadow storage
 * ({@code -Dwaveos.storage=crash-shadow:work/shadow}), so after every cut (and every reset, which is a
 * power cycle too) {@link CrashRestorer} brings the state and logs folders back to what the disk would
 * hold; a kill of the agent alone keeps the page cache and restores nothing. Each restore's report is
 * written to {@code restores/restore-N.txt} in the run folder.
 * Touches only processes this rig started. Used from the rig's one thread.
 */
final class PowerController {
    private final Path java;
    private final String classPath;
    private final Path work;
    private final Path bootId;
    private final MarkedProcesses marked;
    private final List<Path> outputs = new ArrayList<>();
    private final List<RestoreReport> restores = new ArrayList<>();
    private Optional<Process> agent = Optional.empty();
    private long bootAt = Long.MAX_VALUE;
    private long startedAt;
    private boolean frozen;
    private boolean newBoot;

    PowerController(Path java, String classPath, Path work, Path bootId, MarkedProcesses marked) {
        this.java = java;
        this.classPath = classPath;
        this.work = work;
        this.bootId = bootId;
        this.marked = marked;
    }

    /** Starts the agent now, as the init system does at boot or after the agent died. */
    void boot() throws IOException {
        bootAt = Long.MAX_VALUE;
        if (newBoot) {
            Files.writeString(bootId, UUID.randomUUID() + "\n");
            newBoot = false;
        }
        List<String> cmd = new ArrayList<>(List.of(java.toString()));
        cmd.addAll(ProcessRig.AGENT_FLAGS);
        cmd.addAll(List.of("-Dwaveos.boot-id-file=" + bootId, "-Dwaveos.host-root=" + work.resolve("host"),
                "-D" + CrashShadow.PROPERTY + "=" + CrashShadow.PREFIX + shadow(), "-cp", classPath,
                "io.waveos.agent.WaveosCli", "agent", "--config", work.resolve("agent.yaml").toString()));
        Path out = work.resolve("agent-" + (outputs.size() + 1) + ".out");
        outputs.add(out);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().remove("NOTIFY_SOCKET");
        agent = Optional.of(pb.start());
        startedAt = System.nanoTime();
        frozen = false;
    }

    void bootAfter(Duration d) {
        bootAt = System.nanoTime() + d.toNanos();
    }

    /** Performs a due boot; an agent that died by itself is restarted after a second, as systemd would. */
    void poll() throws IOException {
        if (System.nanoTime() >= bootAt) {
            boot();
        } else if (bootAt == Long.MAX_VALUE && agent.isPresent() && !agent.get().isAlive()) {
            bootAfter(Duration.ofSeconds(1));
        }
    }

    boolean agentUp() {
        return agent.isPresent() && agent.get().isAlive() && !frozen;
    }

    /** Nanos (System.nanoTime) when the current agent started. */
    long startedAt() {
        return startedAt;
    }

    void killAgent() throws InterruptedException {
        if (agent.isPresent()) {
            agent.get().destroyForcibly();
            agent.get().waitFor(10, TimeUnit.SECONDS);
        }
        frozen = false;
    }

    void freeze() throws IOException, InterruptedException {
        if (agent.isPresent() && agent.get().isAlive()) {
            ProcessRig.signal(agent.get().pid(), "STOP");
            frozen = true;
        }
    }

    void thaw() throws IOException, InterruptedException {
        if (frozen && agent.isPresent() && agent.get().isAlive()) {
            ProcessRig.signal(agent.get().pid(), "CONT");
        }
        frozen = false;
    }

    /**
     * The power goes (or a reset line or the watchdog resets the board): everything of this device dies
     * at once; the next boot has a new boot id, and the watchdog's boot status says whether it was the
     * watchdog (WDIOF_CARDRESET, 0x20) or not (0), as the kernel's bootstatus file would.
     */
    void cut(boolean byWatchdog) throws IOException, InterruptedException {
        bootAt = Long.MAX_VALUE;
        killAgent();
        marked.killAll();
        // Everything of the device is dead and the page cache still holds what it wrote: now the disk
        // becomes what a power cut leaves (unsynced appends, replacements and renames lost).
        RestoreReport r = CrashRestorer.restore(shadow());
        restores.add(r);
        Path report = work.resolve("restores").resolve("restore-" + restores.size() + ".txt");
        Files.createDirectories(report.getParent());
        Files.writeString(report, r.text(), StandardCharsets.UTF_8);
        newBoot = true;
        startedAt = System.nanoTime(); // the board is down: nothing to bite until the next boot has kicked
        Files.writeString(work.resolve("bootstatus"), (byWatchdog ? "32" : "0") + "\n");
    }

    /** The end of a run: a graceful stop (SIGTERM) of the agent, then nothing of this device is left. */
    void shutDown() throws IOException, InterruptedException {
        bootAt = Long.MAX_VALUE;
        thaw();
        if (agent.isPresent() && agent.get().isAlive()) {
            agent.get().destroy();
            if (!agent.get().waitFor(20, TimeUnit.SECONDS)) {
                agent.get().destroyForcibly();
            }
        }
        marked.killAll();
    }

    List<Path> outputs() {
        return List.copyOf(outputs);
    }

    /** The crash-shadow storage's folder: its journal, the write-cut trigger, the baseline. */
    Path shadow() {
        return work.resolve("shadow");
    }

    /** The restores done so far, one per power cycle, in order. */
    List<RestoreReport> restores() {
        return List.copyOf(restores);
    }
}
