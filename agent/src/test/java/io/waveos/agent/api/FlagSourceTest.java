package io.waveos.agent.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.agent.config.ApiConfig;
import io.waveos.agent.platform.fake.FakeStorage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FlagSourceTest {
    private final FakeStorage storage = new FakeStorage();
    private final Path slot = Path.of("/state/updates/cfg/a");
    private final FlagSource source = new FlagSource(new ApiConfig.BundleFile("cfg", "flags.json"), storage,
            component -> component.equals("cfg") ? Optional.of(slot) : Optional.empty());

    private void write(String json) throws Exception {
        storage.createDirectories(slot);
        storage.writeAtomically(slot.resolve("flags.json"), json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsTheFlagsFileOfTheActiveSlotWithValuesAsText() throws Exception {
        write("{\"sync_enabled\": false, \"min_interval_s\": 30, \"mode_name\": \"eco\"}");
        FlagSource.Found f = assertInstanceOf(FlagSource.Found.class, source.load());
        assertEquals(Map.of("sync_enabled", "false", "min_interval_s", "30", "mode_name", "eco"), f.flags());
        assertTrue(f.source().contains("/state/updates/cfg/a/flags.json"), f.source());
    }

    @Test
    void refusesAFlagsFileWithABadNameABadValueOrJunk() throws Exception {
        write("{\"Bad-Name\": 1}");
        assertTrue(assertInstanceOf(FlagSource.Refused.class, source.load()).why().contains("'Bad-Name'"));
        write("{\"retry_cap\": [1]}");
        assertTrue(assertInstanceOf(FlagSource.Refused.class, source.load()).why().contains("retry_cap"));
        write("[1, 2]");
        assertInstanceOf(FlagSource.Refused.class, source.load());
        write("{\"a\": 1,");
        assertTrue(assertInstanceOf(FlagSource.Refused.class, source.load()).why().startsWith("not valid JSON"));
    }

    @Test
    void isAbsentWithoutAnActiveSlotOrWithoutAFlagsFileInIt() {
        assertInstanceOf(FlagSource.Absent.class, source.load());
        FlagSource other = new FlagSource(new ApiConfig.BundleFile("none", "flags.json"), storage,
                component -> Optional.empty());
        assertInstanceOf(FlagSource.Absent.class, other.load());
    }
}
