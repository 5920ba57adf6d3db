package io.waveos.agent.platform;

/**
 * Reboots the device. Callers record and fsync the reboot intent before calling.
 *
 * <p>The real adapter reboots only when the configuration enables it; otherwise, and in all tests,
 * the request is only recorded.
 */
public interface Reboot {
    void reboot(String reason);
}
