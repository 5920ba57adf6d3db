package io.waveos.agent.config;

import java.util.List;

/**
 * Controlled reboot. Off by default: the reboot port only records the request unless {@code enabled}.
 *
 * @param command what performs the reboot when enabled
 */
public record RebootConfig(boolean enabled, List<String> command) {
    public RebootConfig {
        command = List.copyOf(command);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("reboot command must not be empty");
        }
    }

    public static RebootConfig defaults() {
        return new RebootConfig(false, List.of("systemctl", "reboot"));
    }
}
