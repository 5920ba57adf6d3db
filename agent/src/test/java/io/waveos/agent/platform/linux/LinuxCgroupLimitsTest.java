package io.waveos.agent.platform.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Detection and writes of the cgroup v2 budgets against a cgroup tree made of ordinary files. */
class LinuxCgroupLimitsTest {
    static final String MOUNTINFO = "41 31 0:38 / /sys/fs/cgroup rw,relatime - cgroup2 cgroup2 rw\n";

    @TempDir
    Path root;

    Path delegated(String rel) throws IOException {
        Path dir = root.resolve("sys/fs/cgroup").resolve(rel);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("cgroup.procs"), "100\n200\n");
        Files.writeString(dir.resolve("cgroup.subtree_control"), "");
        Files.writeString(dir.resolve("cgroup.controllers"), "cpu io memory pids\n");
        Files.writeString(root.resolve("cgroup"), "0::/" + rel + "\n");
        Files.writeString(root.resolve("mountinfo"), MOUNTINFO);
        return dir;
    }

    LinuxCgroupLimits detect() {
        return LinuxCgroupLimits.detect(root.resolve("cgroup"), root.resolve("mountinfo"), root);
    }

    @Test
    void theRootCgroupIsNeverTreatedAsDelegated() throws IOException {
        Files.writeString(root.resolve("cgroup"), "0::/\n");
        Files.writeString(root.resolve("mountinfo"), MOUNTINFO);
        assertTrue(detect().unavailable().orElseThrow().contains("root cgroup"));
    }

    @Test
    void cgroupV1AloneIsNotDelegated() throws IOException {
        Files.writeString(root.resolve("cgroup"), "4:memory:/x\n");
        Files.writeString(root.resolve("mountinfo"), MOUNTINFO);
        assertTrue(detect().unavailable().orElseThrow().contains("v1"));
    }

    @Test
    void aReadOnlyCgroupIsNotDelegated() throws IOException {
        Path dir = delegated("system.slice/waveos.service");
        assertTrue(dir.resolve("cgroup.procs").toFile().setWritable(false, false));
        assertTrue(dir.resolve("cgroup.procs").toFile().setReadOnly());
        LinuxCgroupLimits limits = detect();
        if (Files.isWritable(dir.resolve("cgroup.procs"))) {
            return; // root ignores file modes: nothing to learn here
        }
        assertTrue(limits.unavailable().orElseThrow().contains("not writable"));
        assertThrows(IOException.class, () -> limits.place("web", 1, Optional.of(1L), Optional.empty()));
    }

    @Test
    void placesAServiceWithItsLimitsAfterMovingTheAgentToALeaf() throws IOException {
        Path dir = delegated("system.slice/waveos.service");
        LinuxCgroupLimits limits = detect();
        assertEquals(Optional.empty(), limits.unavailable());
        limits.place("web", 4242, Optional.of(200L << 20), Optional.of(500));
        assertEquals("200\n", Files.readString(dir.resolve("agent/cgroup.procs")), "the last of the moved pids");
        assertEquals("+memory +cpu\n", Files.readString(dir.resolve("cgroup.subtree_control")));
        Path web = dir.resolve("service-web");
        assertEquals(String.valueOf(200L << 20), Files.readString(web.resolve("memory.max")).trim());
        assertEquals("50000 100000", Files.readString(web.resolve("cpu.max")).trim());
        assertEquals("4242", Files.readString(web.resolve("cgroup.procs")).trim());
        assertFalse(Files.exists(root.resolve("sys/fs/cgroup/memory.max")), "nothing above the delegated folder");
    }
}
