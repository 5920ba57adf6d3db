package io.waveos.agent.platform;

/**
 * The service manager's notification channel (systemd's {@code sd_notify}). A no-op when the agent
 * was not started by systemd with {@code NOTIFY_SOCKET}.
 */
public interface ServiceNotifier {
    /** Sends one state datagram such as {@code READY=1} or {@code WATCHDOG=1}. */
    void notify(String state);

    /** The watchdog interval the service manager asked for ({@code WATCHDOG_USEC}), if any. */
    java.util.Optional<java.time.Duration> watchdogInterval();
}
