/**
 * The trust root: which Ed25519 keys may sign which kind of bundle, with a k-of-n threshold per role,
 * its codec, initial loading and TUF-style rotation ({@code docs/bundle-format.md}, "Trust root").
 * Depends on {@code signature}, {@code json} and {@code manifest} (for {@code Kind} and RFC 3339);
 * must not depend on {@code verify} or {@code install}.
 */
package io.waveos.bundles.trust;
