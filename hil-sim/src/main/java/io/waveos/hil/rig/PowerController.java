package io.waveos.hil.rig;

import java.io.IOException;
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
 * process carrying this device's marker, then a new boot id so the next agent sees a new boot).
 * Touches only processes this rig started. Used from the rig's one thread.
 */
final class PowerController {
    private final Path java;
    private final String classPath;
    private final Path work;
    private final Path bootId;
    private final MarkedProcesses marked;
    private final List<Path> outputs = new ArrayList<>();
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
        cmd.addAll(List.of("-Dwaveos.boot-id-file=" + bootId, "-Dwaveos.host-root=" + work.resolve("host"), "-cp", classPath, "io.waveos.agent.WaveosCli", "agent",
                "--config", work.resolve("agent.yaml").toString()));
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
}
