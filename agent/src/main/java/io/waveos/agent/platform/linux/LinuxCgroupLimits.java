package io.waveos.agent.platform.linux;

import io.waveos.agent.platform.ResourceLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link ResourceLimits} in the cgroup v2 subtree delegated to the agent (systemd {@code Delegate=yes}).
 *
 * <p>Detection: the agent's own cgroup from {@code /proc/self/cgroup} ({@code 0::/path}) under the
 * cgroup2 mount from {@code /proc/self/mountinfo}. It counts as delegated only when it is not the
 * root cgroup and its {@code cgroup.procs} and {@code cgroup.subtree_control} are writable. On first
 * use the processes of that cgroup move to a leaf {@code agent/} (cgroup v2 forbids processes in a
 * cgroup that enables controllers for children), then {@code +memory +cpu} are enabled and each
 * budgeted service gets {@code service-<name>/} with {@code memory.max} and {@code cpu.max}. Nothing
 * outside the delegated folder is ever written.
 */
public final class LinuxCgroupLimits implements ResourceLimits {
    static final long CPU_PERIOD_US = 100_000;

    private final Optional<Path> dir;
    private final String why;
    private List<String> controllers = List.of();
    private boolean prepared;

    private LinuxCgroupLimits(Optional<Path> dir, String why) {
        this.dir = dir;
        this.why = why;
    }

    /** Detects this process's delegated cgroup. */
    public static LinuxCgroupLimits detect() {
        return detect(Path.of("/proc/self/cgroup"), Path.of("/proc/self/mountinfo"), Path.of("/"));
    }

    /**
     * @param root prefixes the mount point found in {@code mountinfo} (tests use a temporary folder)
     */
    static LinuxCgroupLimits detect(Path cgroupFile, Path mountinfo, Path root) {
        try {
            Optional<String> rel = Files.readAllLines(cgroupFile, StandardCharsets.UTF_8).stream()
                    .filter(l -> l.startsWith("0::")).map(l -> l.substring(3)).findFirst();
            if (rel.isEmpty()) {
                return new LinuxCgroupLimits(Optional.empty(), "no cgroup v2 hierarchy for the agent (cgroup v1 only)");
            }
            if (rel.get().equals("/")) {
                return new LinuxCgroupLimits(Optional.empty(), "the agent runs in the root cgroup: nothing is delegated");
            }
            Optional<String> mount = Files.readAllLines(mountinfo, StandardCharsets.UTF_8).stream()
                    .filter(l -> l.contains(" - cgroup2 ")).map(l -> l.split(" ")[4]).findFirst();
            if (mount.isEmpty()) {
                return new LinuxCgroupLimits(Optional.empty(), "no cgroup2 file system is mounted");
            }
            Path dir = root.resolve(mount.get().substring(1)).resolve(rel.get().substring(1));
            if (!Files.isWritable(dir.resolve("cgroup.procs")) || !Files.isWritable(dir.resolve("cgroup.subtree_control"))) {
                return new LinuxCgroupLimits(Optional.empty(), "the agent's cgroup " + dir + " is not writable: not delegated");
            }
            LinuxCgroupLimits found = new LinuxCgroupLimits(Optional.of(dir), "");
            found.controllers = List.of(Files.readString(dir.resolve("cgroup.controllers")).trim().split("\\s+"));
            return found;
        } catch (IOException | RuntimeException e) {
            return new LinuxCgroupLimits(Optional.empty(), "cannot read the agent's cgroup: " + e.getMessage());
        }
    }

    @Override
    public Optional<String> unavailable() {
        return dir.isPresent() ? Optional.empty() : Optional.of(why);
    }

    /** The delegated folder, when there is one. */
    public Optional<Path> delegated() {
        return dir;
    }

    @Override
    public void place(String service, long pid, Optional<Long> memoryMaxBytes, Optional<Integer> cpuPermille)
            throws IOException {
        Path base = dir.orElseThrow(() -> new IOException("no delegated cgroup: " + why));
        if (memoryMaxBytes.isPresent() && !controllers.contains("memory")
                || cpuPermille.isPresent() && !controllers.contains("cpu")) {
            throw new IOException("the delegated cgroup " + base + " lacks a controller; it offers " + controllers);
        }
        prepare(base);
        Path cg = base.resolve("service-" + service);
        Files.createDirectories(cg);
        if (memoryMaxBytes.isPresent()) {
            write(cg.resolve("memory.max"), Long.toString(memoryMaxBytes.get()));
        }
        if (cpuPermille.isPresent()) {
            write(cg.resolve("cpu.max"), (cpuPermille.get() * CPU_PERIOD_US / 1000) + " " + CPU_PERIOD_US);
        }
        write(cg.resolve("cgroup.procs"), Long.toString(pid));
    }

    /** Moves every process of the delegated cgroup into {@code agent/}, then enables the controllers. */
    private void prepare(Path base) throws IOException {
        if (prepared) {
            return;
        }
        Path leaf = base.resolve("agent");
        Files.createDirectories(leaf);
        List<String> pids = new ArrayList<>();
        for (String line : Files.readAllLines(base.resolve("cgroup.procs"), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                pids.add(line.trim());
            }
        }
        for (String p : pids) {
            write(leaf.resolve("cgroup.procs"), p);
        }
        List<String> enable = new ArrayList<>();
        for (String c : List.of("memory", "cpu")) {
            if (controllers.contains(c)) {
                enable.add("+" + c);
            }
        }
        write(base.resolve("cgroup.subtree_control"), String.join(" ", enable));
        prepared = true;
    }

    private static void write(Path file, String value) throws IOException {
        try {
            Files.writeString(file, value + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException("cannot write " + value + " to " + file + ": " + e.getMessage(), e);
        }
    }
}
