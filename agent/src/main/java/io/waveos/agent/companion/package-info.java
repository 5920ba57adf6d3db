/**
 * The agent's side of the Guardian companion link (WaveOS v2): heartbeats and health reports from the
 * event loop, approvals for risky actions, and the Guardian's safe-mode orders.
 *
 * <p>Runs on the agent's loop thread; bytes from the transport's reader thread arrive as loop events.
 * Depends on {@code config}, {@code telemetry}, {@code mode} (values only) and the companion-protocol
 * library; must not depend on {@code supervision}.
 */
package io.waveos.agent.companion;
