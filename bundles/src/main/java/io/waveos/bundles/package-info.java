/**
 * Signed bundles: format, signing, trust root, verification and the slot installer.
 *
 * <p>A pure library: storage goes through the {@code platform} port, no threads of its own, nothing
 * from a bundle is ever executed. Must not depend on the agent or the simulator. Sub-packages:
 * {@code json} (the strict codec), {@code archive} (bounded tar), {@code signature} (DSSE, Ed25519
 * keys), {@code manifest}, {@code trust} (root and rotation), {@code verify} (streaming
 * verification), {@code install} (A/B slots, journal, floors, trial verdicts), {@code platform}
 * (the storage port). Refusals are {@link io.waveos.bundles.BundleRejected} with a stable
 * {@link io.waveos.bundles.BundleError} code.
 */
package io.waveos.bundles;
