package io.waveos.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code waveos policy check} and {@code waveos policy replay} as an operator runs them. */
class PolicyCliTest {
    @TempDir
    Path dir;

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(String... args) throws InterruptedException {
        return WaveosCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void checkAcceptsAValidPolicy() throws Exception {
        Path p = write("p.yaml", "policy_version: 4\nrules:\n  - {id: a, shadow: true, restart_limit: {service: m, max: 1, per: 1h}}\n");
        assertEquals(0, run("policy", "check", p.toString()));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("OK (policy_version 4, 1 rules, 1 in shadow mode"));
    }

    @Test
    void checkRefusesAnInvalidPolicyNamingFileAndLine() throws Exception {
        Path p = write("p.yaml", "policy_version: 1\nrules:\n  - id: a\n    restart_limit: {service: m, max: 0, per: 1h}\n");
        assertEquals(2, run("policy", "check", p.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith(p + ":4: rules[0].restart_limit: "),
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void replayPrintsTheDecisionsOfARecordedRun() throws Exception {
        Path p = write("p.yaml", "policy_version: 1\nrules:\n  - id: hot\n"
                + "    when: {threshold: {metric: 'system::cpu_permille', above: 900}}\n    notify:\n");
        Path run = dir.resolve("run");
        Files.createDirectories(run);
        Files.writeString(run.resolve("metrics.csv"), "time,mono_ms,scope,subject,metric,value\n"
                + "2026-11-22T05:00:00.000Z,5,system,,cpu_permille,950\n");
        assertEquals(0, run("policy", "replay", "--policy", p.toString(), "--run", run.toString()));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.startsWith("2026-11-22T05:00:00.000Z hot notify fired: "), printed);
        assertTrue(printed.contains("replayed 1 samples and 0 events"), printed);
    }

    @Test
    void replayOfAFolderWithoutTelemetryFails() throws Exception {
        Path p = write("p.yaml", "policy_version: 1\nrules: []\n");
        assertEquals(1, run("policy", "replay", "--policy", p.toString(), "--run", dir.resolve("none").toString()));
        assertEquals(2, run("policy", "replay", "--policy", p.toString()));
    }
}
