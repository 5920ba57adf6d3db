package io.waveos.companion.guardian;

import java.util.Map;
import org.tinylog.configuration.Configuration;

/**
 * Console logging to stderr with Pi4J's board detection silenced, for every program that opens Pi4J
 * (the Guardian, and the agent reading the safe-mode line). Board detection logs ERROR lines on any
 * machine that is not a Raspberry Pi.
 */
public final class Pi4jLogging {
    private Pi4jLogging() {
    }

    /**
     * Applies the console configuration unless tinylog is configured otherwise (a
     * {@code tinylog.properties} on the class path, {@code -Dtinylog.configuration} or
     * {@code -Dtinylog.writer}) or already frozen. Must run before anything logs: tinylog freezes its
     * configuration then.
     */
    public static void configureConsole() {
        if (Configuration.isFrozen() || System.getProperty("tinylog.configuration") != null
                || System.getProperty("tinylog.writer") != null
                || Pi4jLogging.class.getResource("/tinylog.properties") != null) {
            return;
        }
        Configuration.replace(Map.of(
                "writer", "console",
                "writer.stream", "err",
                "writer.format", "{date: yyyy-MM-dd HH:mm:ss.SSS} {level} {message}",
                "level", "info",
                "level@com.pi4j", "warn",
                "level@com.pi4j.boardinfo", "off"));
    }
}
