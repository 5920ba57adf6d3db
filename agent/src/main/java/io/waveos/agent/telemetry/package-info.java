/**
 * Telemetry: the hash-chained {@code events.jsonl}, run directories and {@code run_meta.json}.
 *
 * <p>Every action the agent takes becomes an {@link Event} with a stable {@link EventCode}. Depends
 * only on {@code platform} ports; must not depend on supervision, mode or watchdog.
 */
package io.waveos.agent.telemetry;
