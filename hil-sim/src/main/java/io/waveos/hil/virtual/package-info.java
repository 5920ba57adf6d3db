/**
 * Tier 1: the real agent in process, in virtual time, on the agent's deterministic twins (its
 * test-jar's {@code platform.fake}): a fake process table, crash-simulating storage under the event
 * log, a fake watchdog and a seeded random source; telemetry, evidence packs and the policy engine on
 * fake host and process figures; the reference Guardian (companion-protocol's core and runtime) linked to
 * the agent's {@code GuardianLink} over a {@code transport.PipePair}. Deterministic for a seed; no
 * threads, no sleeps. Depends on the agent and its fakes and on companion-protocol; never on the tier-2
 * rig's processes.
 */
package io.waveos.hil.virtual;
