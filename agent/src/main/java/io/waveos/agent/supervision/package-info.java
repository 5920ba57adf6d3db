/**
 * Supervision: the lifecycle of each service (start, readiness, exit, backoff, restart intensity,
 * stop with SIGKILL escalation) and the supervisor that orders services by their dependencies.
 *
 * <p>{@link io.waveos.agent.supervision.ServiceMachine} is a pure state machine: it returns commands
 * and performs no I/O. {@link io.waveos.agent.supervision.Supervisor} executes those commands through
 * the platform ports. Everything here runs on the agent's loop thread. Depends on {@code config},
 * {@code platform} and {@code telemetry}; must not depend on {@code mode} or {@code watchdog} (the
 * supervisor reports escalations through {@link io.waveos.agent.supervision.Escalations}).
 */
package io.waveos.agent.supervision;
