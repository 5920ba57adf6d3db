/**
 * Telemetry: the hash-chained {@code events.jsonl}, run directories and {@code run_meta.json}, the
 * collectors ({@link io.waveos.agent.telemetry.Sampler}) that turn system, process and event figures
 * into {@link io.waveos.agent.telemetry.Sample}s, {@code metrics.csv}, and the redaction of secrets
 * from everything written (docs/telemetry.md).
 *
 * <p>Every action the agent takes becomes an {@link Event} with a stable {@link EventCode}. Depends
 * only on {@code platform} ports; must not depend on supervision, mode or watchdog.
 */
package io.waveos.agent.telemetry;
