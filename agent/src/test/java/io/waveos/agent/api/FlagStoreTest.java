package io.waveos.agent.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.platform.fake.FakeStorage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FlagStoreTest {
    private final FakeStorage storage = new FakeStorage();
    private final Path dir = Path.of("/state/api");

    private String env() throws Exception {
        return new String(storage.read(dir.resolve("flags.env")).orElseThrow(), StandardCharsets.UTF_8);
    }

    @Test
    void bundleFlagsReplaceTheConfiguredValuesAndOverridesStayOnTop() throws Exception {
        FlagStore flags = new FlagStore(Map.of("sync_enabled", "true", "retry_cap", "5"), storage, dir);
        flags.override(Map.of("retry_cap", "9"), Optional.empty());
        String before = flags.etag();
        Map<String, String> now = flags.fromBundle(Map.of("sync_enabled", "false", "retry_cap", "3",
                "min_interval_s", "60"));
        assertEquals(Map.of("sync_enabled", "false", "retry_cap", "9", "min_interval_s", "60"), now);
        assertNotEquals(before, flags.etag());
        assertTrue(env().contains("WAVEOS_FLAG_SYNC_ENABLED=false\n"), env());
        assertTrue(env().contains("WAVEOS_FLAG_MIN_INTERVAL_S=60\n"), env());
        // The next bundle without min_interval_s takes it away again; agent.yaml's values come back.
        assertEquals(Map.of("sync_enabled", "true", "retry_cap", "9"), flags.fromBundle(Map.of()));
    }

    @Test
    void anOverrideOfAFlagOnlyTheBundleKnowsSurvivesARestartAndReturnsWithTheBundle() throws Exception {
        FlagStore flags = new FlagStore(Map.of("sync_enabled", "true"), storage, dir);
        assertThrows(ApiFailure.class, () -> flags.override(Map.of("min_interval_s", "5"), Optional.empty()));
        flags.fromBundle(Map.of("min_interval_s", "60"));
        flags.override(Map.of("min_interval_s", "5"), Optional.empty());

        FlagStore restarted = new FlagStore(Map.of("sync_enabled", "true"), storage, dir);
        assertEquals(Map.of("sync_enabled", "true"), restarted.effective(), "an unknown flag is not in force");
        assertEquals(Map.of("sync_enabled", "true", "min_interval_s", "5"),
                restarted.fromBundle(Map.of("min_interval_s", "60")));
    }
}
