package io.waveos.agent.telemetry;

import java.util.Locale;

/** What a metric describes: the host as a whole, one supervised service, or the agent itself. */
public enum Scope {
    SYSTEM,
    SERVICE,
    AGENT;

    /** The lower-case name used in {@code metrics.csv}, policy files and the API. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @throws IllegalArgumentException naming the text and the accepted values
     */
    public static Scope fromWire(String text) {
        for (Scope s : values()) {
            if (s.wire().equals(text)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown metric scope '" + text + "' (expected system, service or agent)");
    }
}
