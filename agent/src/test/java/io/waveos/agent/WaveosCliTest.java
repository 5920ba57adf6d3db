package io.waveos.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.platform.linux.LinuxStorage;
import io.waveos.agent.platform.linux.SystemClocks;
import io.waveos.agent.telemetry.Event;
import io.waveos.agent.telemetry.EventCode;
import io.waveos.agent.telemetry.EventLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: exit codes and messages an operator sees. */
class WaveosCliTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) throws InterruptedException {
        return WaveosCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private Path write(String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    @Test
    void checkConfigAcceptsAValidFile() throws Exception {
        Path f = write("ok.yaml", "schema_version: 1\ndevice_id: d\nservices:\n  - name: a\n    command: [/bin/true]\n");
        assertEquals(0, run("agent", "--check-config", f.toString()));
        assertTrue(out().contains("OK (1 services"), out());
    }

    @Test
    void checkConfigRejectsAnUnknownKeyWithExitCode2AndTheLine() throws Exception {
        Path f = write("bad.yaml", "schema_version: 1\ndevice_id: d\nservices:\n  - name: a\n"
                + "    command: [/bin/true]\n    restrat: {policy: always}\n");
        assertEquals(2, run("agent", "--check-config", f.toString()));
        assertTrue(err().contains(f + ":6: services[0].restrat"), err());
    }

    @Test
    void runningTheAgentWithABadConfigExitsWith2BeforeStartingAnything() throws Exception {
        Path f = write("bad.yaml", "schema_version: 7\ndevice_id: d\nservices: []\n"
                + "paths: {state: " + dir.resolve("state") + ", logs: " + dir.resolve("logs") + "}\n");
        assertEquals(2, run("agent", "--config", f.toString()));
        assertTrue(err().contains("schema_version"), err());
        assertFalse(Files.exists(dir.resolve("state")), "state written for a rejected config");
    }

    @Test
    void reportsAMissingConfigFileWithExitCode2() throws Exception {
        assertEquals(2, run("agent", "--check-config", dir.resolve("nope.yaml").toString()));
        assertTrue(err().contains("nope.yaml:0: cannot read the configuration"), err());
    }

    @Test
    void reportsAFileThatIsNotYamlWithExitCode2() throws Exception {
        Path f = write("binary.yaml", "services: [unclosed\n  - {\n");
        assertEquals(2, run("agent", "--check-config", f.toString()));
        assertTrue(err().contains(f.toString() + ":"), err());
    }

    @Test
    void neverPrintsSecretValuesInConfigErrors() throws Exception {
        Path f = write("secret.yaml", "schema_version: 1\ndevice_id: d\nservices:\n  - name: a\n"
                + "    command: [/bin/true]\n    env: {TOKEN: {value: hunter2-very-secret, secret: maybe}}\n");
        assertEquals(2, run("agent", "--check-config", f.toString()));
        assertFalse(err().contains("hunter2-very-secret"), err());
    }

    @Test
    void verifiesAnIntactEventChain() throws Exception {
        Path events = dir.resolve("events.jsonl");
        try (EventLog log = new EventLog(new LinuxStorage(), events, new SystemClocks())) {
            for (int i = 0; i < 5; i++) {
                log.emit(Event.of(EventCode.SERVICE_STARTING, "svc", "start " + i));
            }
        }
        assertEquals(0, run("events", "verify", events.toString()));
        assertTrue(out().contains("OK, 5 events"), out());
    }

    @Test
    void reportsTheFirstBreakOfATamperedEventChain() throws Exception {
        Path events = dir.resolve("events.jsonl");
        try (EventLog log = new EventLog(new LinuxStorage(), events, new SystemClocks())) {
            for (int i = 0; i < 5; i++) {
                log.emit(Event.of(EventCode.SERVICE_STARTING, "svc", "start " + i));
            }
        }
        List<String> lines = Files.readAllLines(events);
        lines.set(2, lines.get(2).replace("start 2", "start X"));
        Files.write(events, lines);
        assertEquals(1, run("events", "verify", events.toString()));
        assertTrue(out().contains("BROKEN at line 4"), out());
    }

    @Test
    void printsHelpAndRejectsUnknownCommands() throws Exception {
        assertEquals(0, run("--help"));
        assertTrue(out().contains("check-config"));
        assertEquals(2, run("frobnicate"));
        assertTrue(err().contains("unknown command 'frobnicate'"));
        assertEquals(2, run("agent", "--bogus"));
    }

    private Path pack() throws Exception {
        Path events = dir.resolve("events.jsonl");
        try (EventLog log = new EventLog(new LinuxStorage(), events, new SystemClocks())) {
            log.emit(Event.of(EventCode.SERVICE_EXITED, "modem", "exited with code 3"));
            log.emit(Event.of(EventCode.INTENSITY_EXCEEDED, "modem", "3 exits in 60 s"));
        }
        java.security.KeyPair key = io.waveos.bundles.signature.Ed25519.generate();
        Files.writeString(dir.resolve("device.pub"), io.waveos.bundles.signature.PemKeys.writePublic(key.getPublic()));
        byte[] pack = io.waveos.agent.evidence.PackWriter.build(new io.waveos.agent.evidence.PackContent("r-1-1",
                java.time.Instant.parse("2026-11-22T08:00:00Z"), "dev", "r-1",
                new io.waveos.agent.evidence.Incident(io.waveos.agent.evidence.IncidentKind.CRASH_LOOP, "modem",
                        "3 exits in 60 s", List.of("modem")), java.util.Map.of("agent", "t"), "{}\n".getBytes(
                        StandardCharsets.UTF_8), Files.readAllBytes(events), "time,mono_ms,scope,subject,metric,value\n"
                        .getBytes(StandardCharsets.US_ASCII), java.util.Map.of()), key, 1 << 20);
        Path file = dir.resolve("evpack-r-1-1-crash_loop.tar");
        Files.write(file, pack);
        return file;
    }

    @Test
    void evidenceVerifyAcceptsAnIntactPackAndNamesTheKey() throws Exception {
        Path pack = pack();
        assertEquals(0, run("evidence", "verify", pack.toString(), "--key", dir.resolve("device.pub").toString()));
        assertTrue(out().contains(": OK, pack r-1-1 (crash_loop modem)") && out().contains("(pinned)"), out());
    }

    @Test
    void evidenceVerifyRefusesATamperedPackNamingTheMember() throws Exception {
        Path pack = pack();
        String text = new String(Files.readAllBytes(pack), StandardCharsets.ISO_8859_1);
        Files.write(pack, text.replace("exited with code 3", "exited with code 0").getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(1, run("evidence", "verify", pack.toString()));
        assertTrue(out().contains("REFUSED: member events.jsonl: SHA-256 differs"), out());
    }

    @Test
    void evidenceListShowsThePacksOfTheConfiguredFolder() throws Exception {
        pack();
        Path f = write("agent.yaml", "schema_version: 1\ndevice_id: d\nservices:\n  - name: a\n"
                + "    command: [/bin/true]\nevidence: {dir: " + dir + "}\n");
        assertEquals(0, run("evidence", "list", "--config", f.toString()));
        assertTrue(out().contains("evpack-r-1-1-crash_loop.tar") && out().contains("1 packs in " + dir), out());
    }
}
