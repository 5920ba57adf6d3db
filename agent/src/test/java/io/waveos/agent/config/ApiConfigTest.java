package io.waveos.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApiConfigTest {
    private static final String BASE = "schema_version: 1\ndevice_id: d\npaths: {state: /data/waveos}\n"
            + "services:\n  - name: a\n    command: [/bin/true]\n";

    private static AgentConfig parse(String api) throws ConfigException {
        return new ConfigLoader().parse("agent.yaml", BASE + api);
    }

    @Test
    void noApiSectionMeansNoApi() throws Exception {
        assertEquals(Optional.empty(), parse("").api());
    }

    @Test
    void bindsToLoopbackByDefaultAndReadsKeysAndFlags() throws Exception {
        ApiConfig a = parse("api:\n  keys:\n    - {id: fleet, secret: s3cret-s3cret-s3cret, role: admin}\n"
                + "  flags: {sync_enabled: true, retry_cap: 5}\n").api().orElseThrow();
        assertEquals("127.0.0.1", a.bind());
        assertEquals(7480, a.port());
        assertEquals(ApiRole.ADMIN, a.key("fleet").orElseThrow().role());
        assertEquals(Map.of("sync_enabled", "true", "retry_cap", "5"), a.flags());
        assertEquals(ApiConfig.Limits.defaults(), a.limits());
        assertFalse(a.keys().toString().contains("s3cret"), "a key's toString shows its secret");
        assertFalse(a.openMetrics());
        assertTrue(parse("api:\n  keys: []\n  open_metrics: true\n").api().orElseThrow().openMetrics());
    }

    @Test
    void readsTlsAndLimits() throws Exception {
        ApiConfig a = parse("api:\n  bind: 0.0.0.0\n  port: 8443\n  tls: {key: /etc/waveos/api.key, cert: /etc/waveos/api.crt}\n"
                + "  keys: []\n  limits: {requests_per_second: 2, burst: 4, max_body: 1MiB, request_timeout: 5s, skew: 30s}\n")
                .api().orElseThrow();
        assertEquals(Path.of("/etc/waveos/api.crt"), a.tls().orElseThrow().certFile());
        assertEquals(1L << 20, a.limits().maxBodyBytes());
        assertEquals(Duration.ofSeconds(30), a.limits().skew());
        assertEquals(4, a.limits().burst());
    }

    @Test
    void refusesAShortSecretAnUnknownRoleAndADuplicateIdNamingLineAndKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("api:\n  keys:\n"
                + "    - {id: a, secret: short, role: admin}\n"
                + "    - {id: b, secret: long-enough-secret-1, role: root}\n"
                + "    - {id: c, secret: long-enough-secret-1, role: viewer}\n"
                + "    - {id: c, secret: long-enough-secret-2, role: viewer}\n"));
        String m = e.getMessage();
        assertTrue(m.contains("agent.yaml:9: api.keys[0]: secret must be at least 16 characters"), m);
        assertTrue(m.contains("agent.yaml:10: api.keys[1].role: expected viewer, operator or admin"), m);
        assertTrue(m.contains("agent.yaml:12: api.keys[3].id: duplicate key id"), m);
    }

    @Test
    void readsTheFlagsBundleWithItsDefaultFileAndRefusesAPathOutOfTheSlot() throws Exception {
        assertEquals(Optional.empty(), parse("api:\n  keys: []\n").api().orElseThrow().flagsBundle());
        assertEquals(Optional.of(new ApiConfig.BundleFile("site-config", "flags.json")),
                parse("api:\n  keys: []\n  flags_bundle: {bundle: site-config}\n").api().orElseThrow().flagsBundle());
        assertEquals("cfg/flags.json", parse("api:\n  keys: []\n  flags_bundle: {bundle: c, bundle_file: cfg/flags.json}\n")
                .api().orElseThrow().flagsBundle().orElseThrow().file());
        ConfigException e = assertThrows(ConfigException.class, () -> parse("api:\n  keys: []\n"
                + "  flags_bundle: {bundle: c, bundle_file: ../flags.json}\n"));
        assertEquals(Optional.of(new ApiConfig.BundleFile("site-certs", "api-keys.json")),
                parse("api:\n  keys: []\n  keys_bundle: {bundle: site-certs}\n").api().orElseThrow().keysBundle());
        assertTrue(e.getMessage().contains("api.flags_bundle: bundle_file must be a relative path"),
                e.getMessage());
    }

    @Test
    void refusesUnknownKeysAndBadFlagNames() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("api:\n  keys: []\n  portt: 1\n"
                + "  flags: {Bad-Name: 1}\n"));
        assertTrue(e.getMessage().contains("api.portt: unknown key"), e.getMessage());
        assertTrue(e.getMessage().contains("api.flags.Bad-Name: flag names must match"), e.getMessage());
    }

    @Test
    void apiSecretsAreRedactedFromWhatTheAgentWrites() throws Exception {
        AgentConfig c = parse("api:\n  keys:\n    - {id: fleet, secret: s3cret-s3cret-s3cret, role: admin}\n");
        assertEquals("key *** leaked", io.waveos.agent.AgentMainAccess.redaction(c).apply("key s3cret-s3cret-s3cret leaked"));
    }
}
