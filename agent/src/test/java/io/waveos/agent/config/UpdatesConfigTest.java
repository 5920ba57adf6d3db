package io.waveos.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UpdatesConfigTest {
    private static final String BASE = "schema_version: 1\ndevice_id: d\npaths: {state: /data/waveos}\n"
            + "services:\n  - name: a\n    command: [/bin/true]\n";

    private static AgentConfig parse(String updates) throws ConfigException {
        return new ConfigLoader().parse("agent.yaml", BASE + updates);
    }

    @Test
    void noUpdatesSectionMeansNoUpdates() throws Exception {
        assertEquals(Optional.empty(), parse("").updates());
    }

    @Test
    void readsTheSectionWithDefaultsAndTheInboxUnderTheStateFolder() throws Exception {
        UpdatesConfig u = parse("updates:\n  device_class: gw-100\n").updates().orElseThrow();
        assertEquals(Path.of("/etc/waveos/trust/root.json"), u.trustRoot());
        assertEquals(Path.of("/data/waveos/inbox"), u.inbox());
        assertEquals("gw-100", u.deviceClass());
        assertEquals(1L << 30, u.maxBundleBytes());
        assertEquals(Duration.ofSeconds(5), u.scanInterval());
    }

    @Test
    void readsEveryKey() throws Exception {
        UpdatesConfig u = parse("updates:\n  device_class: gw-100\n  trust_root: /opt/trust.json\n"
                + "  inbox: /srv/inbox\n  max_bundle_size: 200MiB\n  space_margin: 1MiB\n  scan_interval: 2s\n")
                .updates().orElseThrow();
        assertEquals(new UpdatesConfig(Path.of("/opt/trust.json"), Path.of("/srv/inbox"), "gw-100", 200L << 20,
                1L << 20, Duration.ofSeconds(2)), u);
    }

    @Test
    void rejectsAMissingDeviceClassWithTheLine() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("updates:\n  inbox: /srv/inbox\n"));
        assertTrue(e.getMessage().contains("agent.yaml:8: updates.device_class: missing required key"),
                e.getMessage());
    }

    @Test
    void rejectsADeviceClassWithSpacesAndARelativeInbox() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> parse("updates:\n  device_class: \"gw 100\"\n  inbox: inbox\n"));
        assertTrue(e.getMessage().contains("updates.device_class"), e.getMessage());
        assertTrue(e.getMessage().contains("updates.inbox"), e.getMessage());
    }

    @Test
    void parsesABundleServiceDefinitionWithTheConfigRules() throws Exception {
        ServiceConfig s = new ConfigLoader().parseService("bundle b1 manifest.services[0]",
                "{\"name\":\"web\",\"command\":[\"/slots/b/bin/web\",\"--port\",\"8080\"],\"essential\":true,"
                        + "\"ready\":{\"tcp\":\"127.0.0.1:8080\"}}");
        assertEquals("web", s.name());
        assertEquals(List.of("/slots/b/bin/web", "--port", "8080"), s.command());
        assertTrue(s.essential());
    }

    @Test
    void refusesABundleServiceDefinitionNamingTheKeyThatIsWrong() {
        ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader().parseService(
                "bundle b1 manifest.services[0]", "{\"name\":\"web\",\"command\":\"/bin/web --x\"}"));
        assertTrue(e.getMessage().contains("bundle b1 manifest.services[0]"), e.getMessage());
        assertTrue(e.getMessage().contains("service.command"), e.getMessage());
    }
}
