package io.waveos.agent.update.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code waveos bundle ...} in-process with captured streams and a fixed clock, inside one folder. */
final class ToolRunner {

    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    static final String TEMPLATE = "{\"format\":1,\"bundle_id\":\"web-7\",\"kind\":\"app\",\"component\":\"web\","
            + "\"version\":7,\"version_name\":\"2.3.1\",\"created\":\"2026-05-01T00:00:00Z\","
            + "\"expires\":\"2027-05-01T00:00:00Z\",\"compatibility\":{\"device_classes\":[\"pi4\"],"
            + "\"min_agent_version\":\"0.1.0\"}}";

    /** One run's outcome. */
    record Result(int exit, String out, String err) {
        Result ok() {
            assertEquals(0, exit, () -> "expected exit 0; stderr: " + err + " stdout: " + out);
            return this;
        }

        /** A refusal: exit 3 and exactly one stderr line {@code error: <code>: ...}. */
        Result refused(String code) {
            assertEquals(BundleTool.REFUSED, exit, () -> "expected a refusal; stderr: " + err + " stdout: " + out);
            assertTrue(err.startsWith("error: " + code + ": "), () -> "expected error: " + code + ", got " + err);
            assertEquals(1, err.strip().lines().count(), err);
            return this;
        }

        /** Bad input: exit 2, one line naming {@code mentions}, no stack trace. */
        Result badInput(String mentions) {
            assertEquals(BundleTool.BAD_INPUT, exit, () -> "expected exit 2; stderr: " + err + " stdout: " + out);
            assertTrue(err.contains(mentions), () -> "expected stderr to name " + mentions + ": " + err);
            assertEquals(1, err.strip().lines().count(), err);
            assertFalse(err.contains("\tat ") || err.contains("Exception"), err);
            return this;
        }
    }

    private final Path dir;

    ToolRunner(Path dir) {
        this.dir = dir;
    }

    Path path(String name) {
        return dir.resolve(name);
    }

    /** Runs the tool; arguments starting with {@code @} are resolved against the folder. */
    Result run(String... args) {
        String[] resolved = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            resolved[i] = args[i].startsWith("@") ? dir.resolve(args[i].substring(1)).toString() : args[i];
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = BundleTool.run(resolved, new Invocation(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Clock.fixed(NOW, ZoneOffset.UTC), false));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A payload folder with two files (one executable) and the app template. */
    void payloadAndTemplate() throws IOException {
        Path payload = Files.createDirectories(dir.resolve("payload/bin"));
        Files.writeString(payload.resolve("app"), "#!/bin/sh\necho hello\n");
        payload.resolve("app").toFile().setExecutable(true, true);
        Files.writeString(dir.resolve("payload/config.json"), "{\"port\":8080}\n");
        Files.writeString(dir.resolve("template.json"), TEMPLATE);
    }

    static boolean hasOpenssl() {
        try {
            return exec(List.of("openssl", "version")).exit == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** Runs a program (openssl) with a bounded wait. */
    static Result exec(List<String> command) throws IOException {
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command + " did not finish in 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8), "");
    }
}
