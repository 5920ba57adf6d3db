/**
 * The HIL simulator's crash-simulating storage for tier 2 (real processes on a real file system): a
 * simulator seam selected only by {@code -Dwaveos.storage=crash-shadow:<dir>} in {@code AgentMain},
 * never set on a device. {@link io.waveos.agent.platform.crashsim.CrashShadow} wraps the agent's two
 * storage ports ({@code LinuxStorage}, {@code LinuxSlotStorage}): every operation is done on the real
 * files as on a device, and a journal in {@code <dir>} records what a power cut would keep, with the
 * durability models of the deterministic twins ({@code FakeStorage} for {@code Storage},
 * {@code CrashingStorage} for {@code SlotStorage}). {@link io.waveos.agent.platform.crashsim.CrashRestorer}
 * rewrites the tracked folders to that durable image after the rig has killed everything;
 * {@link io.waveos.agent.platform.crashsim.WriteCut} stops the agent just before its Nth write.
 *
 * <p>Depends only on {@code platform}, {@code platform.linux} and the {@code bundles} library (its
 * storage port and JSON codec); nothing in the agent depends on it except the composition root.
 */
package io.waveos.agent.platform.crashsim;
