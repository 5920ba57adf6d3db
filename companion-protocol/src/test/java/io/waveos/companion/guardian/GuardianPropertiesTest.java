package io.waveos.companion.guardian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waveos.companion.proto.AgentMode;
import io.waveos.companion.proto.CommandKind;
import io.waveos.companion.proto.CommandRequest;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GuardianPropertiesTest {

    private static GuardianProperties.Parsed parse(String text) throws GuardianConfigException {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(text));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return GuardianProperties.parse(properties, "guardian.properties");
    }

    @Test
    void anEmptyFileGivesTheDefaults() throws Exception {
        GuardianProperties.Parsed parsed = parse("");
        assertEquals(GuardianConfig.DEFAULT, parsed.config());
        assertEquals(GpioSettings.MOCK, parsed.gpio());
    }

    @Test
    void readsEverySection() throws Exception {
        GuardianProperties.Parsed parsed = parse(String.join("\n",
                "watchdog.grace = 15s",
                "watchdog.pulse-width = 250ms",
                "watchdog.arm-at-start = false",
                "watchdog.reset-window = 2h",
                "gate.risky-kinds = REBOOT, install",
                "gate.reboot.max = 5",
                "gate.degraded.modes = SAFE,DEGRADED",
                "gate.degraded.max-memory-used-ratio = 0.8",
                "gate.deny.bad-bundle.kind = INSTALL",
                "gate.deny.bad-bundle.parameter = bundle",
                "gate.deny.bad-bundle.regex = 2\\\\.3\\\\.[01]",
                "gate.deny.bad-bundle.why = bricks rev-B boards",
                "gate.deny.test-channel.kind = ANY",
                "gate.deny.test-channel.parameter = channel",
                "gate.deny.test-channel.regex = test.*",
                "trend.metrics = memory_used_ratio, error_rate_per_min",
                "trend.metric.memory_used_ratio.limit = 0.9",
                "trend.metric.memory_used_ratio.clear-below = 0.8",
                "trend.metric.error_rate_per_min.limit = 100",
                "trend.metric.error_rate_per_min.clear-below = 20",
                "trend.horizon = 5min",
                "gpio.provider = gpiod",
                "gpio.reset-pin = 22",
                "gpio.safe-mode-pin = 23",
                "gpio.reset-active-high = false"));
        GuardianConfig c = parsed.config();
        assertEquals(Duration.ofSeconds(15), c.watchdog().grace());
        assertEquals(Duration.ofMillis(250), c.watchdog().pulseWidth());
        assertEquals(false, c.watchdog().armAtStart());
        assertEquals(Duration.ofHours(2), c.watchdog().resetWindow());
        assertEquals(Set.of(CommandKind.COMMAND_KIND_REBOOT, CommandKind.COMMAND_KIND_INSTALL), c.gate().riskyKinds());
        assertEquals(5, c.gate().maxReboots());
        assertEquals(Set.of(AgentMode.AGENT_MODE_SAFE, AgentMode.AGENT_MODE_DEGRADED), c.gate().degraded().modes());
        assertEquals(0.8, c.gate().degraded().maxMemoryUsedRatio());
        assertEquals(2, c.gate().denyPatterns().size());
        DenyPattern bad = c.gate().denyPatterns().get(0);
        assertEquals("bad-bundle", bad.name());
        assertEquals(Optional.of(CommandKind.COMMAND_KIND_INSTALL), bad.kind());
        assertEquals("bricks rev-B boards", bad.why());
        assertTrue(bad.matches(CommandRequest.newBuilder().setKind(CommandKind.COMMAND_KIND_INSTALL)
                .putParameters("bundle", "2.3.1").build()));
        assertEquals(Optional.empty(), c.gate().denyPatterns().get(1).kind());
        assertEquals(List.of(new MetricLimit(TrendMetric.MEMORY_USED_RATIO, 0.9, 0.8),
                new MetricLimit(TrendMetric.ERROR_RATE_PER_MIN, 100, 20)), c.trend().limits());
        assertEquals(Duration.ofMinutes(5), c.trend().horizon());
        assertEquals(new GpioSettings(GpioSettings.Provider.GPIOD, 22, 23, false, true), parsed.gpio());
    }

    @Test
    void rejectsMistakesNamingTheFileTheKeyAndWhatWasExpected() {
        String[][] cases = {
            {"watchdog.grase = 10s", "guardian.properties: watchdog.grase: expected a known key"},
            {"watchdog.grace = 10", "guardian.properties: watchdog.grace: expected a duration like 250ms, 10s, 5min or 1h, was '10'"},
            {"watchdog.grace = 1s", "guardian.properties: watchdog: grace (PT1S) must be longer than heartbeat-period"},
            {"watchdog.enabled = yes", "guardian.properties: watchdog.enabled: expected true or false, was 'yes'"},
            {"gate.risky-kinds = REBOOT,DANCE", "guardian.properties: gate.risky-kinds: expected a command kind"},
            {"gate.deny.x.kind = INSTALL\ngate.deny.x.parameter = bundle", "guardian.properties: gate.deny.x.regex: expected a regular expression, was 'missing'"},
            {"gate.deny.x.kind = INSTALL\ngate.deny.x.parameter = b\ngate.deny.x.regex = (", "guardian.properties: gate.deny.x.regex: expected a regular expression"},
            {"trend.metric.memory_used_ratio.limit = 0.9", "guardian.properties: trend.metrics: expected the list of metrics"},
            {"trend.metrics = memory_used_ratio", "guardian.properties: trend.metric.memory_used_ratio.limit: expected a number"},
            {"trend.metrics = swap", "guardian.properties: trend.metrics: expected metric names among memory_used_ratio"},
            {"trend.metrics = memory_used_ratio\ntrend.metric.memory_used_ratio.limit = 0.9\n"
                    + "trend.metric.memory_used_ratio.clear-below = 0.95", "must be below the limit"},
            {"gpio.provider = wiringpi", "guardian.properties: gpio.provider: expected mock, gpiod or linuxfs, was 'wiringpi'"},
            {"gpio.safe-mode-pin = 17", "guardian.properties: gpio: the reset and safe-mode lines need different pins"},
            {"tick-period = 5s", "guardian.properties: guardian: tick-period (PT5S) must be at most a quarter"},
        };
        for (String[] c : cases) {
            GuardianConfigException e = assertThrows(GuardianConfigException.class, () -> parse(c[0]), c[0]);
            assertTrue(e.getMessage().startsWith(c[1]) || e.getMessage().contains(c[1]), e.getMessage());
        }
    }

    @Test
    void theGuideDocumentsEveryKey() throws IOException {
        Path guide = Path.of("..", "docs", "guardian.md");
        String text = Files.readString(guide, StandardCharsets.UTF_8);
        for (String key : GuardianProperties.knownKeys()) {
            assertTrue(text.contains("`" + key + "`"), "docs/guardian.md does not document " + key);
        }
        for (String family : List.of("gate.deny.NAME.kind", "gate.deny.NAME.parameter", "gate.deny.NAME.regex",
                "gate.deny.NAME.why", "trend.metric.METRIC.limit", "trend.metric.METRIC.clear-below")) {
            assertTrue(text.contains("`" + family + "`"), "docs/guardian.md does not document " + family);
        }
    }
}
