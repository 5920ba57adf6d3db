/**
 * Guardian companion protocol: schema, frame codec, link state machine and reference Guardian.
 *
 * <p>A pure library: no device I/O and no threads of its own. Must not depend on the agent or the
 * simulator. The protocol itself lands with issue #4; until then this module only reserves its place
 * in the build.
 */
package io.waveos.companion;
