package io.waveos.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped unit file passes systemd-analyze verify and carries the settings the agent relies on. */
class SystemdUnitTest {
    private static final Path UNIT = Path.of("..", "packaging", "systemd", "waveos-agent.service");

    @TempDir
    Path dir;

    private static String verify(Path unit) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("systemd-analyze", "verify", unit.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return "exit=" + p.exitValue() + "\n" + output;
    }

    private static boolean analyzerPresent() {
        return Files.isExecutable(Path.of("/usr/bin/systemd-analyze")) || Files.isExecutable(Path.of("/bin/systemd-analyze"));
    }

    @Test
    void unitFilePassesSystemdAnalyzeVerify() throws Exception {
        assumeTrue(analyzerPresent(), "systemd-analyze is not installed");
        Path copy = dir.resolve("waveos-agent.service");
        Files.copy(UNIT, copy);
        assertEquals("exit=0\n", verify(copy));
    }

    @Test
    void verifyCatchesAMistakeInTheUnit() throws Exception {
        assumeTrue(analyzerPresent(), "systemd-analyze is not installed");
        Path copy = dir.resolve("waveos-agent.service");
        Files.writeString(copy, Files.readString(UNIT).replace("WatchdogSec=", "WatchdogSecs="));
        String result = verify(copy);
        assertTrue(result.contains("WatchdogSecs"), result);
    }

    @Test
    void unitIsANotifyServiceWithWatchdogRestartAndHardening() throws Exception {
        String unit = Files.readString(UNIT);
        for (String line : new String[] {"Type=notify", "WatchdogSec=", "Restart=always", "NoNewPrivileges=yes",
            "ProtectSystem=strict", "ReadWritePaths=/var/lib/waveos /var/log/waveos", "PrivateTmp=yes",
            "KillMode=mixed", "-Xmx32m", "-XX:-UsePerfData", "RestartPreventExitStatus=2"}) {
            assertTrue(unit.contains(line), "missing " + line);
        }
    }
}
