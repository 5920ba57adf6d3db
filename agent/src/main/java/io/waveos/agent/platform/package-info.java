/**
 * Ports: every side effect the agent has goes through one of these interfaces.
 *
 * <p>Wall time, monotonic time, the scheduler, the event loop, process launching, storage, reboot, the
 * watchdog device, systemd notification, boot facts, the host's figures (system metrics) and the
 * Guardian's safe-mode line. Each has a Linux adapter in {@code platform.linux}
 * and a deterministic twin in the agent's test fixtures ({@code platform.fake}) that the simulator
 * reuses. This package must not depend on any capability package.
 */
package io.waveos.agent.platform;
