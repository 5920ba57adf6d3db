/**
 * Tier 1: the real agent in process, in virtual time, on the agent's deterministic twins (its
 * test-jar's {@code platform.fake}): a fake process table, crash-simulating storage under the event
 * log, the updater on bundles' crash-simulating slot storage (power cuts at any of their writes), a
 * hardware watchdog that bites a hung agent and a seeded random source; telemetry, evidence packs and the policy engine on
 * fake host and process figures; the reference Guardian (companion-protocol's core and runtime) linked to
 * the agent's {@code GuardianLink} over a {@code transport.PipePair}. Deterministic for a seed; no
 * threads, no sleeps. Depends on the agent and its fakes, bundles' slot storage twin and companion-protocol; never on the tier-2
 * rig's processes.
 */
package io.waveos.hil.virtual;
