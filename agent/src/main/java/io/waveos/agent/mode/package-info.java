/**
 * Modes: NORMAL, DEGRADED and SAFE, and the escalation ladder that moves between them.
 *
 * <p>{@link io.waveos.agent.mode.ModeMachine} is a pure, exhaustive state machine returning
 * {@link io.waveos.agent.mode.ModeCommand}s; the agent performs them. Depends on {@code config} and
 * {@code telemetry}; must not depend on {@code supervision} internals or any adapter.
 */
package io.waveos.agent.mode;
