package io.waveos.agent.platform.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.platform.linux.LinuxReboot.Outcome;
import io.waveos.agent.platform.linux.LinuxReboot.Request;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Only ever runs harmless commands: never a real reboot. */
class LinuxRebootTest {
    private final ByteArrayOutputStream errorBytes = new ByteArrayOutputStream();
    private final PrintStream errors = new PrintStream(errorBytes, true, StandardCharsets.UTF_8);

    @Test
    void disabledRebootOnlyRecordsTheRequestAndSaysItWasNotPerformed() {
        // The command would fail loudly if it ran.
        LinuxReboot reboot = new LinuxReboot(false, List.of("/nonexistent/waveos-must-not-run"), errors);

        reboot.reboot("watchdog escalation");
        reboot.reboot("update committed");

        assertEquals(List.of(new Request("watchdog escalation", Outcome.NOT_ENABLED, ""),
                new Request("update committed", Outcome.NOT_ENABLED, "")), reboot.requests());
        List<String> lines = errorLines();
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains("NOT performed") && lines.get(0).contains("reboot.enabled is false")
                && lines.get(0).contains("watchdog escalation"), lines.get(0));
    }

    @Test
    void enabledRebootRunsTheCommandAndRecordsSuccess() {
        LinuxReboot reboot = new LinuxReboot(true, List.of("true"), errors);

        reboot.reboot("test");

        assertEquals(List.of(new Request("test", Outcome.COMMAND_SUCCEEDED, "")), reboot.requests());
        assertTrue(errorLines().stream().noneMatch(l -> l.contains("FAILED")), errorLines().toString());
    }

    @Test
    void enabledRebootReportsACommandThatExitsNonZero() {
        LinuxReboot reboot = new LinuxReboot(true, List.of("sh", "-c", "exit 3"), errors);

        reboot.reboot("test");

        assertEquals(List.of(new Request("test", Outcome.COMMAND_FAILED, "exited with code 3")), reboot.requests());
        assertTrue(errorLines().stream().anyMatch(l -> l.contains("FAILED") && l.contains("exited with code 3")),
                errorLines().toString());
    }

    @Test
    void enabledRebootReportsACommandThatCannotStart() {
        LinuxReboot reboot = new LinuxReboot(true, List.of("/nonexistent/waveos-reboot"), errors);

        reboot.reboot("test");

        Request request = reboot.requests().get(0);
        assertEquals(Outcome.COMMAND_FAILED, request.outcome());
        assertTrue(request.detail().startsWith("could not start"), request.detail());
        assertTrue(errorLines().stream().anyMatch(l -> l.contains("FAILED")), errorLines().toString());
    }

    private List<String> errorLines() {
        return errorBytes.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
