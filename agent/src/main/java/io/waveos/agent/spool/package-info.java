/**
 * The log spool (docs/spool.md): every service's stdout and stderr and the agent's own log lines,
 * as CRC-checked records in append-only segment files, with a durability policy, recovery of torn
 * tails, rotation, retention caps with drop accounting, cursors and readers.
 *
 * <p>{@link io.waveos.agent.spool.RecordCodec}, {@link io.waveos.agent.spool.LineSplitter} and
 * {@link io.waveos.agent.spool.SegmentScan} are pure (bytes in, values out). All file access goes
 * through {@link io.waveos.agent.platform.Storage}; the writer runs on its own thread, never on the
 * agent's event loop, and reports only through a listener that enqueues events.
 *
 * <p>Depends on {@code platform} ports and {@code telemetry} events only; must not depend on
 * {@code supervision}, {@code policy} or the agent's loop.
 */
package io.waveos.agent.spool;
