package io.waveos.companion.guardian;

import io.waveos.companion.proto.AgentMode;
import io.waveos.companion.proto.CommandKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the Guardian's configuration from a Java properties file (see {@code docs/guardian.md} for
 * every key). Every key is optional and defaults to {@link GuardianConfig#DEFAULT} and
 * {@link GpioSettings#MOCK}; an unknown key is an error (a typo must not silently keep a default).
 * Durations are written {@code 250ms}, {@code 10s}, {@code 5min} or {@code 1h}.
 */
public final class GuardianProperties {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|min|h)");
    private static final Pattern DENY_KEY = Pattern.compile("gate\\.deny\\.([A-Za-z0-9_.-]+?)\\.(kind|parameter|regex|why)");
    private static final Pattern METRIC_KEY = Pattern.compile("trend\\.metric\\.([a-z_]+)\\.(limit|clear-below)");
    private static final Set<String> KEYS = Set.of(
            "watchdog.enabled", "watchdog.heartbeat-period", "watchdog.grace", "watchdog.stuck-heartbeats",
            "watchdog.max-loop-lag", "watchdog.boot-grace", "watchdog.arm-at-start", "watchdog.pulse-width",
            "watchdog.max-resets", "watchdog.reset-window",
            "gate.risky-kinds", "gate.reboot.max", "gate.reboot.window", "gate.remembered-decisions",
            "gate.degraded.modes", "gate.degraded.loop-unhealthy", "gate.degraded.max-memory-used-ratio",
            "gate.degraded.max-error-rate-per-min", "gate.degraded.max-temperature-millicelsius",
            "gate.degraded.max-age",
            "trend.metrics", "trend.window-reports", "trend.min-samples", "trend.ewma-alpha",
            "trend.horizon", "trend.consecutive", "trend.min-slope-t", "trend.order-min-duration",
            "tick-period", "log.max-bytes",
            "gpio.provider", "gpio.reset-pin", "gpio.safe-mode-pin", "gpio.reset-active-high",
            "gpio.safe-mode-active-high");

    /**
     * The parsed settings.
     *
     * @param config the Guardian's behaviour
     * @param gpio its GPIO lines
     */
    public record Parsed(GuardianConfig config, GpioSettings gpio) {
    }

    private final Properties properties;
    private final String source;

    private GuardianProperties(Properties properties, String source) {
        this.properties = properties;
        this.source = source;
    }

    /**
     * Parses {@code properties}; {@code source} names them in error messages (usually the file path).
     *
     * @throws GuardianConfigException naming the source, the key and what was expected
     */
    public static Parsed parse(Properties properties, String source) throws GuardianConfigException {
        return new GuardianProperties(properties, source).parse();
    }

    private Parsed parse() throws GuardianConfigException {
        for (String key : new TreeSet<>(properties.stringPropertyNames())) {
            if (!KEYS.contains(key) && !DENY_KEY.matcher(key).matches() && !METRIC_KEY.matcher(key).matches()) {
                throw error(key, "a known key (see docs/guardian.md)", "present");
            }
        }
        WatchdogConfig w = WatchdogConfig.DEFAULT;
        WatchdogConfig watchdog = build("watchdog", () -> new WatchdogConfig(
                bool("watchdog.enabled", w.enabled()),
                duration("watchdog.heartbeat-period", w.heartbeatPeriod()),
                duration("watchdog.grace", w.grace()),
                integer("watchdog.stuck-heartbeats", w.stuckHeartbeats()),
                duration("watchdog.max-loop-lag", w.maxLoopLag()),
                duration("watchdog.boot-grace", w.bootGrace()),
                bool("watchdog.arm-at-start", w.armAtStart()),
                duration("watchdog.pulse-width", w.pulseWidth()),
                integer("watchdog.max-resets", w.maxResets()),
                duration("watchdog.reset-window", w.resetWindow())));
        DegradedLimits d = DegradedLimits.DEFAULT;
        DegradedLimits degraded = build("gate.degraded", () -> new DegradedLimits(
                modes("gate.degraded.modes", d.modes()),
                bool("gate.degraded.loop-unhealthy", d.loopUnhealthy()),
                decimal("gate.degraded.max-memory-used-ratio", d.maxMemoryUsedRatio()),
                longValue("gate.degraded.max-error-rate-per-min", d.maxErrorRatePerMin()),
                longValue("gate.degraded.max-temperature-millicelsius", d.maxTemperatureMillicelsius()),
                duration("gate.degraded.max-age", d.maxAge())));
        GateConfig g = GateConfig.DEFAULT;
        List<DenyPattern> patterns = denyPatterns();
        GateConfig gate = build("gate", () -> new GateConfig(patterns,
                kinds("gate.risky-kinds", g.riskyKinds()),
                degraded,
                integer("gate.reboot.max", g.maxReboots()),
                duration("gate.reboot.window", g.rebootWindow()),
                integer("gate.remembered-decisions", g.rememberedDecisions())));
        TrendConfig t = TrendConfig.DEFAULT;
        List<MetricLimit> limits = metricLimits(t.limits());
        TrendConfig trend = build("trend", () -> new TrendConfig(limits,
                integer("trend.window-reports", t.windowReports()),
                integer("trend.min-samples", t.minSamples()),
                decimal("trend.ewma-alpha", t.ewmaAlpha()),
                duration("trend.horizon", t.horizon()),
                integer("trend.consecutive", t.consecutive()),
                decimal("trend.min-slope-t", t.minSlopeT()),
                duration("trend.order-min-duration", t.orderMinDuration())));
        GuardianConfig c = GuardianConfig.DEFAULT;
        GuardianConfig config = build("guardian", () -> new GuardianConfig(watchdog, gate, trend,
                duration("tick-period", c.tickPeriod()),
                longValue("log.max-bytes", c.logMaxBytes())));
        GpioSettings m = GpioSettings.MOCK;
        GpioSettings gpio = build("gpio", () -> new GpioSettings(
                provider("gpio.provider", m.provider()),
                integer("gpio.reset-pin", m.resetPin()),
                integer("gpio.safe-mode-pin", m.safeModePin()),
                bool("gpio.reset-active-high", m.resetActiveHigh()),
                bool("gpio.safe-mode-active-high", m.safeModeActiveHigh())));
        return new Parsed(config, gpio);
    }

    /** A constructor call whose validation errors become configuration errors under {@code section}. */
    private interface Build<T> {
        T get() throws GuardianConfigException;
    }

    private <T> T build(String section, Build<T> build) throws GuardianConfigException {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new GuardianConfigException(source + ": " + section + ": " + e.getMessage(), e);
        }
    }

    private List<DenyPattern> denyPatterns() throws GuardianConfigException {
        Set<String> names = new TreeSet<>();
        for (String key : properties.stringPropertyNames()) {
            Matcher m = DENY_KEY.matcher(key);
            if (m.matches()) {
                names.add(m.group(1));
            }
        }
        List<DenyPattern> patterns = new ArrayList<>();
        for (String name : names) {
            String prefix = "gate.deny." + name + ".";
            String kindText = required(prefix + "kind", "a command kind (REBOOT, INSTALL, ...) or ANY");
            Optional<CommandKind> kind = kindText.equalsIgnoreCase("ANY") ? Optional.empty()
                    : Optional.of(kind(prefix + "kind", kindText));
            String parameter = required(prefix + "parameter", "a parameter name, e.g. bundle");
            String regexText = required(prefix + "regex", "a regular expression");
            Pattern regex;
            try {
                regex = Pattern.compile(regexText);
            } catch (PatternSyntaxException e) {
                throw error(prefix + "regex", "a regular expression (" + e.getDescription() + ")", regexText);
            }
            String why = properties.getProperty(prefix + "why", "").trim();
            String patternName = name;
            patterns.add(build(prefix.substring(0, prefix.length() - 1),
                    () -> new DenyPattern(patternName, kind, parameter, regex, why)));
        }
        return patterns;
    }

    private List<MetricLimit> metricLimits(List<MetricLimit> defaults) throws GuardianConfigException {
        Set<String> configured = new HashSet<>();
        for (String key : properties.stringPropertyNames()) {
            Matcher m = METRIC_KEY.matcher(key);
            if (m.matches()) {
                configured.add(m.group(1));
            }
        }
        String metrics = properties.getProperty("trend.metrics");
        if (metrics == null) {
            if (!configured.isEmpty()) {
                throw error("trend.metrics", "the list of metrics whose limits are configured", "missing");
            }
            return defaults;
        }
        List<MetricLimit> limits = new ArrayList<>();
        for (String name : list(metrics)) {
            TrendMetric metric = TrendMetric.byFieldName(name).orElseThrow(() -> error("trend.metrics",
                    "metric names among " + metricNames(), name));
            String prefix = "trend.metric." + metric.fieldName() + ".";
            double limit = decimal(prefix + "limit", Double.NaN);
            double clearBelow = decimal(prefix + "clear-below", Double.NaN);
            if (Double.isNaN(limit) || Double.isNaN(clearBelow)) {
                throw error(Double.isNaN(limit) ? prefix + "limit" : prefix + "clear-below",
                        "a number for each metric listed in trend.metrics", "missing");
            }
            limits.add(build(prefix + "limit", () -> new MetricLimit(metric, limit, clearBelow)));
            configured.remove(metric.fieldName());
        }
        if (!configured.isEmpty()) {
            String stray = configured.iterator().next();
            throw error("trend.metric." + stray, "a metric listed in trend.metrics", "not listed");
        }
        return limits;
    }

    private String required(String key, String expected) throws GuardianConfigException {
        String value = properties.getProperty(key);
        if (value == null || value.isBlank()) {
            throw error(key, expected, "missing");
        }
        return value.trim();
    }

    private Duration duration(String key, Duration fallback) throws GuardianConfigException {
        String value = properties.getProperty(key);
        if (value == null) {
            return fallback;
        }
        Matcher m = DURATION.matcher(value.trim());
        if (!m.matches()) {
            throw error(key, "a duration like 250ms, 10s, 5min or 1h", value);
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "min" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> throw new AssertionError(m.group(2));
        };
    }

    private int integer(String key, int fallback) throws GuardianConfigException {
        long value = longValue(key, fallback);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw error(key, "an integer", Long.toString(value));
        }
        return (int) value;
    }

    private long longValue(String key, long fallback) throws GuardianConfigException {
        String value = properties.getProperty(key);
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw error(key, "an integer", value);
        }
    }

    private double decimal(String key, double fallback) throws GuardianConfigException {
        String value = properties.getProperty(key);
        if (value == null) {
            return fallback;
        }
        try {
            double parsed = Double.parseDouble(value.trim());
            if (!Double.isFinite(parsed)) {
                throw error(key, "a finite number", value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw error(key, "a number", value);
        }
    }

    private boolean bool(String key, boolean fallback) throws GuardianConfigException {
        String value = properties.getProperty(key);
        if (value == null) {
            return fallback;
        }
        return switch (value.trim()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw error(key, "true or false", value);
        };
    }

    private Set<AgentMode> modes(String key, Set<AgentMode> fallback) throws GuardianConfigException {
        String value = properties.getProperty(key);
        if (value == null) {
            return fallback;
        }
        Set<AgentMode> modes = EnumSet.noneOf(AgentMode.class);
        for (String name : list(value)) {
            try {
                AgentMode mode = AgentMode.valueOf("AGENT_MODE_" + name.toUpperCase(Locale.ROOT));
                if (mode == AgentMode.AGENT_MODE_UNSPECIFIED) {
                    throw new IllegalArgumentException(name);
                }
                modes.add(mode);
            } catch (IllegalArgumentException e) {
                throw error(key, "a list of NORMAL, DEGRADED, SAFE", value);
            }
        }
        return modes;
    }

    private Set<CommandKind> kinds(String key, Set<CommandKind> fallback) throws GuardianConfigException {
        String value = properties.getProperty(key);
        if (value == null) {
            return fallback;
        }
        Set<CommandKind> kinds = EnumSet.noneOf(CommandKind.class);
        for (String name : list(value)) {
            kinds.add(kind(key, name));
        }
        return kinds;
    }

    private CommandKind kind(String key, String name) throws GuardianConfigException {
        try {
            CommandKind kind = CommandKind.valueOf("COMMAND_KIND_" + name.trim().toUpperCase(Locale.ROOT));
            if (kind != CommandKind.COMMAND_KIND_UNSPECIFIED) {
                return kind;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw error(key, "a command kind: REBOOT, INSTALL, COMMIT, WATCHDOG_DISARM, SAFE_MODE_EXIT,"
                + " POLICY_CHANGE or CUSTOM", name);
    }

    private GpioSettings.Provider provider(String key, GpioSettings.Provider fallback)
            throws GuardianConfigException {
        String value = properties.getProperty(key);
        if (value == null) {
            return fallback;
        }
        try {
            return GpioSettings.Provider.byConfigName(value.trim());
        } catch (IllegalArgumentException e) {
            throw error(key, "mock, gpiod or linuxfs", value);
        }
    }

    private static List<String> list(String value) {
        List<String> items = new ArrayList<>();
        for (String item : value.split(",")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        return items;
    }

    private static String metricNames() {
        List<String> names = new ArrayList<>();
        for (TrendMetric metric : TrendMetric.values()) {
            names.add(metric.fieldName());
        }
        return String.join(", ", names);
    }

    private GuardianConfigException error(String key, String expected, String actual) {
        return new GuardianConfigException(source + ": " + key + ": expected " + expected + ", was '" + actual + "'");
    }

    /** The fixed keys this reader knows (deny patterns and metric limits are families), for tests. */
    static Set<String> knownKeys() {
        return KEYS;
    }
}
