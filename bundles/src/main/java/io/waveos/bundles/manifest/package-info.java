/**
 * The manifest: its records, the strict codec ({@link io.waveos.bundles.manifest.ManifestCodec}) and
 * the payload path rules ({@link io.waveos.bundles.manifest.PayloadPath}). Depends on {@code json}
 * and the module's error types only; must not depend on {@code signature}, {@code trust},
 * {@code verify} or {@code install}.
 */
package io.waveos.bundles.manifest;
