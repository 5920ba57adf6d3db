/**
 * The {@code update} capability: takes signed bundles from the inbox, verifies them against the trust
 * root, installs them into A/B slots through the {@code bundles} library, restarts the affected
 * services from the new slot, runs the trial, and commits or rolls back with the failed criterion as
 * an event and an evidence file. Owns the trust root chain and the trusted-time high-water mark.
 *
 * <p>Loop-owned: every method runs on the agent's loop thread except the jobs handed to the
 * {@link io.waveos.agent.platform.Worker}, which touch only the bundle file and the slot being written
 * and report back with {@link io.waveos.agent.update.UpdateInput} events. Must not depend on
 * {@code companion} internals beyond {@code Approvals}, nor on the Linux adapters.
 */
package io.waveos.agent.update;
