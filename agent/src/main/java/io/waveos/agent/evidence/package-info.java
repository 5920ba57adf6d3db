/**
 * Evidence packs: bounded, signed archives of what happened around an incident (issue #5).
 *
 * <p>Owns the {@link io.waveos.agent.evidence.Incidents} port other capabilities report through. May
 * depend on {@code telemetry} and {@code platform}; must not depend on supervision, policy or update.
 */
package io.waveos.agent.evidence;
