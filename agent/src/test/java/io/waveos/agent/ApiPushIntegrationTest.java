package io.waveos.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.fixture.AgentJvm;
import io.waveos.agent.fixture.Eventually;
import io.waveos.agent.platform.linux.ApiClient;
import io.waveos.bundles.json.Json;
import io.waveos.bundles.trust.Role;
import io.waveos.bundles.trust.TrustRoot;
import io.waveos.bundles.trust.TrustRootFile;
import io.waveos.bundles.trust.TrustedKey;
import io.waveos.bundles.vectors.TestBundles;
import io.waveos.bundles.vectors.TestKeys;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real agent with its API on loopback: a pushed bundle goes through to committed, a repeated push
 * installs once, and status, readiness and metrics answer (metrics pass promtool when it is installed).
 */
class ApiPushIntegrationTest {
    static final String SECRET = "operator-secret-0123456789";

    @TempDir
    Path work;

    private AgentJvm jvm;

    @AfterEach
    void stop() throws Exception {
        if (jvm != null) {
            jvm.close();
        }
    }

    /**
     * agent.yaml: one service {@code db} ({@code essential} or not), updates trusting {@code rootFile}, and
     * the API on {@code port} with the key {@code fleet} of {@code role}, plus {@code apiLines} under {@code api:}.
     */
    private Path config(String deviceId, Path rootFile, int port, String role, boolean essential, String... apiLines)
            throws IOException {
        List<String> lines = new java.util.ArrayList<>(List.of(
                "schema_version: 1",
                "device_id: " + deviceId,
                "paths: {state: \"" + work.resolve("state") + "\", logs: \"" + work.resolve("logs") + "\"}",
                "services:",
                "  - name: db",
                "    command: [\"/bin/sh\", \"-c\", \"exec sleep 600\"]"));
        if (essential) {
            lines.add("    essential: true");
        }
        lines.addAll(List.of(
                "updates: {trust_root: \"" + rootFile + "\", device_class: gw-100, scan_interval: 200ms}",
                "api:",
                "  port: " + port,
                "  keys:",
                "    - {id: fleet, secret: " + SECRET + ", role: " + role + "}"));
        lines.addAll(List.of(apiLines));
        lines.add("");
        Path config = work.resolve("agent.yaml");
        Files.writeString(config, String.join("\n", lines));
        return config;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static byte[] appBundle(long version) {
        Map<String, byte[]> payload = new LinkedHashMap<>();
        payload.put("bin/web", "#!/bin/sh\nexec sleep 600\n".getBytes(StandardCharsets.UTF_8));
        Map<String, Object> m = TestBundles.manifest("app", "app", version, payload);
        // The test JVM's agent reports version "dev" (no jar manifest), which orders as 0.
        m.put("compatibility", Map.of("device_classes", List.of("gw-100"), "min_agent_version", "0.0.0"));
        m.put("services", List.of(Map.of("name", "web", "command", List.of("bin/web"), "depends_on", List.of("db"))));
        m.put("trial", Map.of("soak_seconds", 1L, "must_be_ready", List.of("web"), "max_restarts", 0L));
        return TestBundles.bundle(m, List.of(TestKeys.A), payload);
    }

    private String events() throws IOException {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> files = Files.walk(work.resolve("logs"))) {
            for (Path p : files.filter(p -> p.getFileName().toString().equals("events.jsonl")).toList()) {
                b.append(Files.readString(p));
            }
        }
        return b.toString();
    }

    private static String state(ApiClient c, Object id) throws Exception {
        HttpResponse<String> r = c.send("GET", "/v1/bundles/" + id, new byte[0], Map.of());
        return String.valueOf(Json.parseObject(r.body().getBytes(StandardCharsets.UTF_8)).get("state"));
    }

    @Test
    void aPushedBundleIsCommittedAndARepeatedPushInstallsOnceEvenAfterARestart() throws Exception {
        TrustRoot root = new TrustRoot(1, Instant.parse("2036-01-01T00:00:00Z"), List.of(
                TrustedKey.of(TestKeys.A.getPublic(), Set.of(Role.ROOT, Role.APP, Role.CONFIG, Role.CERTS))),
                Map.of(Role.ROOT, 1, Role.APP, 1, Role.CONFIG, 1, Role.CERTS, 1));
        Path rootFile = work.resolve("trust/root.json");
        Files.createDirectories(rootFile.getParent());
        Files.write(rootFile, TrustRootFile.write(TrustRootFile.unsigned(root).signedWith(TestKeys.A)));
        Path bundle = work.resolve("app-2.wbundle");
        Files.write(bundle, appBundle(2));
        int port = freePort();
        Path config = config("it-api", rootFile, port, "operator", true, "  flags: {sync_enabled: true}");
        jvm = new AgentJvm(work);
        Process agent = jvm.start(config, "agent.out", List.of("-Xmx48m"), Map.of());
        ApiClient c = new ApiClient(URI.create("http://127.0.0.1:" + port), "fleet", SECRET);
        Eventually.until(Duration.ofSeconds(60), () -> answers(c, "/readyz") == 200,
                () -> "the API never became ready: " + read(work.resolve("agent.out")));

        HttpResponse<String> first = c.push(bundle, Map.of(), sent -> { });
        assertEquals(202, first.statusCode(), first.body());
        Object id = Json.parseObject(first.body().getBytes(StandardCharsets.UTF_8)).get("install_id");
        Eventually.until(Duration.ofSeconds(60), () -> stateOf(c, id).equals("committed"),
                () -> "push " + id + " is " + stateOf(c, id) + "; events: " + eventsOrEmpty());
        // The repeat goes through the command line: waveos push, with its progress bar on stderr.
        Path keyFile = Files.writeString(work.resolve("fleet.key"), SECRET + "\n");
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int code = WaveosCli.run(new String[] {"push", bundle.toString(), "--to", "http://127.0.0.1:" + port,
                "--key-id", "fleet", "--key", keyFile.toString()}, new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        String again = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, again + err);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("] 100% "), err.toString(StandardCharsets.UTF_8));
        assertEquals(id, Json.parseObject(again.getBytes(StandardCharsets.UTF_8)).get("install_id"));
        assertTrue(again.contains("\"state\":\"committed\""), again);
        assertEquals(1, count(events(), "\"update.committed\""), "installed once");

        HttpResponse<String> status = c.send("GET", "/v1/status", new byte[0], Map.of());
        assertTrue(status.body().contains("\"version\":2"), status.body());
        String metrics = c.send("GET", "/metrics", new byte[0], Map.of()).body();
        assertTrue(metrics.contains("waveos_events_total{code=\"update.committed\"} 1"), metrics);
        assertTrue(metrics.contains("waveos_service_up{service=\"web\"} 1"), metrics);
        promtool(metrics);

        // After a restart the ledger is read back from STATE/api/pushes.json: the same bytes, the first answer.
        agent.destroy();
        assertTrue(agent.waitFor(60, TimeUnit.SECONDS), "the agent did not stop on SIGTERM");
        jvm.start(config, "agent2.out", List.of("-Xmx48m"), Map.of());
        Eventually.until(Duration.ofSeconds(60), () -> answers(c, "/readyz") == 200,
                () -> "the restarted API never became ready: " + read(work.resolve("agent2.out")));
        HttpResponse<String> afterRestart = c.push(bundle, Map.of(), sent -> { });
        assertEquals(202, afterRestart.statusCode(), afterRestart.body());
        assertEquals(id, Json.parseObject(afterRestart.body().getBytes(StandardCharsets.UTF_8)).get("install_id"));
        assertTrue(afterRestart.body().contains("\"state\":\"committed\""), afterRestart.body());
        assertEquals(List.of("true"), afterRestart.headers().allValues("Idempotent-Replay"));
        assertEquals(1, count(events(), "\"update.committed\""), "installed once across the restart");
    }

    private static byte[] configBundle(long version, String flagsJson) {
        Map<String, byte[]> payload = new LinkedHashMap<>();
        payload.put("flags.json", flagsJson.getBytes(StandardCharsets.UTF_8));
        Map<String, Object> m = TestBundles.manifest("config", "site-config", version, payload);
        m.put("compatibility", Map.of("device_classes", List.of("gw-100"), "min_agent_version", "0.0.0"));
        return TestBundles.bundle(m, List.of(TestKeys.A), payload);
    }

    @Test
    void flagsOfACommittedConfigBundleComeIntoForceUnderTheRuntimeOverridesAndARefusedFileChangesNothing()
            throws Exception {
        Path rootFile = trustRoot();
        int port = freePort();
        Path config = config("it-flags", rootFile, port, "admin", false, "  flags: {sync_enabled: true, retry_cap: 5}",
                "  flags_bundle: {bundle: site-config}");
        jvm = new AgentJvm(work);
        jvm.start(config, "agent.out", List.of("-Xmx48m"), Map.of());
        ApiClient c = new ApiClient(URI.create("http://127.0.0.1:" + port), "fleet", SECRET);
        Eventually.until(Duration.ofSeconds(60), () -> answers(c, "/readyz") == 200,
                () -> "the API never became ready: " + read(work.resolve("agent.out")));
        HttpResponse<String> put = c.send("PUT", "/v1/config/flags",
                "{\"retry_cap\": 9}".getBytes(StandardCharsets.UTF_8), Map.of());
        assertEquals(200, put.statusCode(), put.body());

        Path bundle = Files.write(work.resolve("cfg-2.wbundle"),
                configBundle(2, "{\"sync_enabled\": false, \"retry_cap\": 3, \"min_interval_s\": 60}"));
        HttpResponse<String> pushed = c.push(bundle, Map.of(), sent -> { });
        assertEquals(202, pushed.statusCode(), pushed.body());
        Object id = Json.parseObject(pushed.body().getBytes(StandardCharsets.UTF_8)).get("install_id");
        Eventually.until(Duration.ofSeconds(60), () -> flagsOf(c).contains("\"min_interval_s\":\"60\""),
                () -> "push " + id + " is " + stateOf(c, id) + ", flags " + flagsOf(c) + "; events: " + eventsOrEmpty());
        Map<String, Object> flags = Json.parseObject(flagsOf(c).getBytes(StandardCharsets.UTF_8));
        assertEquals(Map.of("sync_enabled", "false", "retry_cap", "9", "min_interval_s", "60"), flags.get("flags"),
                "the bundle's values over agent.yaml's, the override over both");
        assertTrue(events().contains("\"api.flags_loaded\""), eventsOrEmpty());
        String env = Files.readString(work.resolve("state/api/flags.env"));
        assertTrue(env.contains("WAVEOS_FLAG_SYNC_ENABLED=false\n") && env.contains("WAVEOS_FLAG_RETRY_CAP=9\n"), env);

        Path junk = Files.write(work.resolve("cfg-3.wbundle"), configBundle(3, "{\"Bad-Name\": 1}"));
        assertEquals(202, c.push(junk, Map.of(), sent -> { }).statusCode());
        Eventually.until(Duration.ofSeconds(60), () -> eventsOrEmpty().contains("\"api.flags_refused\""),
                () -> "no api.flags_refused; events: " + eventsOrEmpty());
        assertEquals(flags, Json.parseObject(flagsOf(c).getBytes(StandardCharsets.UTF_8)), "a refused file changed flags");
    }

    @Test
    void anApiKeyFromACommittedCertsBundleSignsRequestsAndItsSecretIsWrittenNowhere() throws Exception {
        Path rootFile = trustRoot();
        int port = freePort();
        Path config = config("it-keys", rootFile, port, "operator", false, "  keys_bundle: {bundle: site-certs}");
        jvm = new AgentJvm(work);
        jvm.start(config, "agent.out", List.of("-Xmx48m"), Map.of());
        ApiClient c = new ApiClient(URI.create("http://127.0.0.1:" + port), "fleet", SECRET);
        Eventually.until(Duration.ofSeconds(60), () -> answers(c, "/readyz") == 200,
                () -> "the API never became ready: " + read(work.resolve("agent.out")));
        String bundleSecret = "rotated-secret-from-the-certs-bundle";
        ApiClient rotated = new ApiClient(URI.create("http://127.0.0.1:" + port), "fleet-2027", bundleSecret);
        assertEquals(401, answers(rotated, "/v1/status"));

        Map<String, byte[]> payload = new LinkedHashMap<>();
        payload.put("api-keys.json", ("{\"keys\": [{\"id\": \"fleet-2027\", \"secret\": \"" + bundleSecret
                + "\", \"role\": \"viewer\"}]}").getBytes(StandardCharsets.UTF_8));
        Map<String, Object> m = TestBundles.manifest("certs", "site-certs", 2, payload);
        m.put("compatibility", Map.of("device_classes", List.of("gw-100"), "min_agent_version", "0.0.0"));
        Path bundle = Files.write(work.resolve("certs-2.wbundle"), TestBundles.bundle(m, List.of(TestKeys.A), payload));
        assertEquals(202, c.push(bundle, Map.of(), sent -> { }).statusCode());
        Eventually.until(Duration.ofSeconds(60), () -> answers(rotated, "/v1/status") == 200,
                () -> "the bundle's key is not accepted; events: " + eventsOrEmpty());
        assertEquals(403, rotated.send("POST", "/v1/services/db/restart", new byte[0], Map.of()).statusCode(),
                "the bundle's role (viewer) is not applied");
        assertTrue(events().contains("\"api.keys_loaded\""), eventsOrEmpty());
        try (Stream<Path> files = Files.walk(work)) {
            for (Path p : files.filter(Files::isRegularFile).filter(p -> !p.toString().contains("/updates/")
                    && !p.getFileName().toString().endsWith(".wbundle")).toList()) {
                assertFalse(Files.readString(p, java.nio.charset.StandardCharsets.ISO_8859_1).contains(bundleSecret),
                        "the secret is in " + p);
            }
        }
    }

    private Path trustRoot() throws IOException {
        TrustRoot root = new TrustRoot(1, Instant.parse("2036-01-01T00:00:00Z"), List.of(
                TrustedKey.of(TestKeys.A.getPublic(), Set.of(Role.ROOT, Role.APP, Role.CONFIG, Role.CERTS))),
                Map.of(Role.ROOT, 1, Role.APP, 1, Role.CONFIG, 1, Role.CERTS, 1));
        Path rootFile = work.resolve("trust/root.json");
        Files.createDirectories(rootFile.getParent());
        Files.write(rootFile, TrustRootFile.write(TrustRootFile.unsigned(root).signedWith(TestKeys.A)));
        return rootFile;
    }

    private static String flagsOf(ApiClient c) {
        try {
            return c.send("GET", "/v1/config/flags", new byte[0], Map.of()).body();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static void promtool(String metrics) throws Exception {
        Path tool = Stream.of("/usr/bin/promtool", "/usr/local/bin/promtool").map(Path::of).filter(Files::isExecutable)
                .findFirst().orElse(null);
        if (tool == null) {
            // Not an assumption here: that would mark the whole push test skipped. PrometheusTextTest has the
            // skippable promtool check.
            System.err.println("promtool is not installed (Debian package prometheus): /metrics checked by assertions only");
            return;
        }
        Process p = new ProcessBuilder(tool.toString(), "check", "metrics").redirectErrorStream(true).start();
        p.getOutputStream().write(metrics.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out + "\n" + metrics);
    }

    private static int count(String text, String what) {
        return text.split(java.util.regex.Pattern.quote(what), -1).length - 1;
    }

    private String eventsOrEmpty() {
        try {
            return events();
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static String stateOf(ApiClient c, Object id) {
        try {
            return state(c, id);
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static int answers(ApiClient c, String path) {
        try {
            return c.send("GET", path, new byte[0], Map.of()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
