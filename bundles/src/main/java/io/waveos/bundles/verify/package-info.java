/**
 * Streaming bundle verification: the manifest first (envelope, signatures against the trust root,
 * manifest rules, device policy), then every payload member against it, hashed as it streams to a
 * {@link io.waveos.bundles.verify.PayloadSink}. Also the trusted-time rule for devices without a
 * trustworthy clock. Nothing from a bundle is ever executed. Depends on {@code archive},
 * {@code signature}, {@code manifest}, {@code trust}, {@code json}; must not depend on {@code install}
 * or do any file I/O of its own.
 */
package io.waveos.bundles.verify;
