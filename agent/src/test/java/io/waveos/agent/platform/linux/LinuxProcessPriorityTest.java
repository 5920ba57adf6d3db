package io.waveos.agent.platform.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.platform.ProcessPriority;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LinuxProcessPriorityTest {
    /** proc(5) stat field 19, counted after the command name's closing parenthesis. */
    private static int nice(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(f[16]);
    }

    @Test
    void aLeaderWhoseGroupDoesNotExistYetStillGetsTheNiceValue() throws Exception {
        // Started without setsid: its pid names no process group, as right after a launch.
        Process p = new ProcessBuilder("sleep", "30").start();
        try {
            assertTrue(nice(p.pid()) < 7);
            new LinuxProcessPriority().setNice(p.pid(), 7);
            assertEquals(7, nice(p.pid()));
            new LinuxProcessPriority().setIoPriority(p.pid(), ProcessPriority.IoClass.IDLE, 0);
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aProcessThatDoesNotExistIsAnErrorNamingTheCall() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor(10, TimeUnit.SECONDS);
        IOException e = assertThrows(IOException.class, () -> new LinuxProcessPriority().setNice(p.pid(), 5));
        assertTrue(e.getMessage().contains("PRIO_PROCESS"), e.getMessage());
    }
}
