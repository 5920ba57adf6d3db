/**
 * Evidence packs: bounded, signed archives of what happened around an incident (issue #5), the device
 * signing key, the offline verifier and the {@code waveos evidence} command (docs/evidence.md).
 *
 * <p>Owns the {@link io.waveos.agent.evidence.Incidents} port other capabilities report through. May
 * depend on {@code telemetry}, {@code platform}, {@code config} values and the {@code spool} reader
 * (log tails); must not depend on
 * supervision, policy or update.
 */
package io.waveos.agent.evidence;
