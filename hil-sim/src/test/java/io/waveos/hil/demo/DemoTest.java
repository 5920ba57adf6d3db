package io.waveos.hil.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The demo is a real run of the agent jar: this runs it (shortened) and checks the story it tells.
 * The agent jar is built by the agent module's package phase, which {@code mvn verify} runs first.
 */
class DemoTest {
    private static final Path HOME = Path.of("..").toAbsolutePath().normalize();
    private static final Path AGENT_JAR = HOME.resolve("agent/target/waveos-agent.jar");

    @Test
    void demoRunsTheRealAgentThroughCrashesEscalationAndACrashOnlyRestart() throws Exception {
        assumeTrue(Files.exists(AGENT_JAR), "the agent jar is built by 'mvn verify' (package phase)");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = new Demo(HOME, AGENT_JAR, Duration.ofSeconds(14),
                new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, out);
        assertTrue(out.contains("previous stop classified as 'first_start'"), out);
        assertTrue(out.contains("previous stop classified as 'agent_crash'"), out);
        assertTrue(out.contains("service.orphan_found"), out);
        assertTrue(out.contains("-> SAFE: essential service plc-bridge"), out);
        assertTrue(out.contains("service.intensity_exceeded uploader"), out);
        assertTrue(out.contains("service.killed") && out.contains("display"), out);
        assertTrue(out.contains("agent exit code after SIGTERM: 0 (clean)"), out);
        assertTrue(!out.contains("BROKEN"), out);
    }
}
