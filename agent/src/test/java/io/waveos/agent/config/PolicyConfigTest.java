package io.waveos.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PolicyConfigTest {
    private static final String BASE = "schema_version: 1\ndevice_id: d\nservices: []\n";

    private static AgentConfig parse(String policy) throws ConfigException {
        return new ConfigLoader().parse("agent.yaml", BASE + policy);
    }

    @Test
    void noPolicySectionMeansNoPolicy() throws Exception {
        assertEquals(Optional.empty(), parse("").policy());
        assertEquals(Optional.empty(), parse("policy:\n").policy());
    }

    @Test
    void readsAFileAndABundleWithTheDefaultFileInTheSlot() throws Exception {
        PolicyConfig p = parse("policy:\n  file: /etc/waveos/policy.yaml\n  bundle: site-policy\n").policy().orElseThrow();
        assertEquals(Optional.of(Path.of("/etc/waveos/policy.yaml")), p.file());
        assertEquals(Optional.of("site-policy"), p.bundle());
        assertEquals("policy.yaml", p.bundleFile());
    }

    @Test
    void refusesAPolicyWithNeitherFileNorBundleOnItsLine() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("policy:\n  bundle_file: p.yaml\n"));
        assertEquals(5, e.problems().get(0).line());
        assertTrue(e.getMessage().contains("needs a file, a bundle, or both"), e.getMessage());
    }

    @Test
    void refusesARelativeFileAndABundleFileLeavingTheSlot() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("policy:\n  file: policy.yaml\n"));
        assertEquals("agent.yaml:5: policy.file: expected an absolute path (starting with /), got 'policy.yaml'",
                e.problems().get(0).toString());
        e = assertThrows(ConfigException.class, () -> parse("policy:\n  bundle: b\n  bundle_file: ../x.yaml\n"));
        assertTrue(e.getMessage().contains("without '..'"), e.getMessage());
    }
}
