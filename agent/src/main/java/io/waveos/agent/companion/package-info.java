/**
 * The agent's side of the Guardian companion link (WaveOS v2): heartbeats and health reports from the
 * event loop, approvals for risky actions, the Guardian's safe-mode orders and its safe-mode GPIO line.
 *
 * <p>Runs on the agent's loop thread; bytes from the transport's reader thread arrive as loop events.
 * Depends on {@code config}, {@code telemetry}, {@code mode} (values only), the {@code platform} ports
 * and the companion-protocol library; must not depend on {@code supervision} or {@code platform.linux}.
 */
package io.waveos.agent.companion;
