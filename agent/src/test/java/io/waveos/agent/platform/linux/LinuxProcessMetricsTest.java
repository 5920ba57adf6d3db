package io.waveos.agent.platform.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.platform.ProcessMetrics.Figures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinuxProcessMetricsTest {
    @Test
    void readsThisJvmFromTheRealProc() throws IOException {
        LinuxProcessMetrics m = new LinuxProcessMetrics();
        Figures f = m.read(ProcessHandle.current().pid()).orElseThrow();
        assertTrue(f.rssBytes() > 10L * 1024 * 1024, "a JVM holds more than 10 MiB: " + f);
        assertTrue(f.threads() > 1, f.toString());
        assertTrue(f.openFds().orElseThrow() > 2, f.toString());
        assertTrue(f.startTicks() > 0, f.toString());
        ProcessHandle.current().info().totalCpuDuration().ifPresent(cpu ->
                assertTrue(f.cpuTicks() > 0 || cpu.toMillis() < 10, f.toString()));
    }

    @Test
    void aProcessThatDoesNotExistIsEmpty() throws IOException {
        assertEquals(Optional.empty(), new LinuxProcessMetrics().read(Integer.MAX_VALUE));
        assertEquals(Optional.empty(), new LinuxProcessMetrics().read(0));
    }

    @Test
    void parsesFieldsAfterANameWithSpacesAndParentheses(@TempDir Path proc) throws IOException {
        Path dir = Files.createDirectories(proc.resolve("42"));
        Files.createDirectories(dir.resolve("fd"));
        Files.createFile(dir.resolve("fd").resolve("0"));
        Files.writeString(dir.resolve("stat"), "42 (a b) c) S 1 42 42 0 -1 4194560 100 0 0 0 "
                + "250 50 0 0 20 0 3 0 9876 1000 10 18446744073709551615\n");
        Files.writeString(dir.resolve("status"), "Name:\ta b) c\nVmRSS:\t    2048 kB\nThreads:\t3\n");
        Figures f = new LinuxProcessMetrics(proc).read(42).orElseThrow();
        assertEquals(new Figures(300, 2048L * 1024, 3, Optional.of(1), 9876), f);
    }

    @Test
    void malformedContentIsAnErrorNamingTheFile(@TempDir Path proc) throws IOException {
        Path dir = Files.createDirectories(proc.resolve("7"));
        Files.writeString(dir.resolve("stat"), "7 (x) S 1 2\n");
        Files.writeString(dir.resolve("status"), "Threads:\t1\n");
        IOException e = assertThrows(IOException.class, () -> new LinuxProcessMetrics(proc).read(7));
        assertTrue(e.getMessage().contains("7/stat"), e.getMessage());
    }

    @Test
    void cpuPermilleIsOfOneCoreAndEmptyAcrossPidReuse() {
        Figures a = new Figures(100, 0, 1, Optional.empty(), 5);
        Figures b = new Figures(150, 0, 1, Optional.empty(), 5);
        assertEquals(Optional.of(500), b.cpuPermilleSince(a, 1_000_000_000L, 100));
        assertEquals(Optional.empty(), new Figures(150, 0, 1, Optional.empty(), 6).cpuPermilleSince(a, 1_000_000_000L, 100));
        assertEquals(Optional.empty(), b.cpuPermilleSince(a, 0, 100));
    }
}
