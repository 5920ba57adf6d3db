/**
 * Signed bundles: format, signing, trust root, verification and the slot installer.
 *
 * <p>A pure library: storage goes through a port, no threads of its own. Must not depend on the
 * agent or the simulator. The format lands with issue #3; until then this module only reserves its
 * place in the build.
 */
package io.waveos.bundles;
