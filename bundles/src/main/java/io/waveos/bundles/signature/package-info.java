/**
 * DSSE envelopes (parse, write, PAE), Ed25519 signing and verification, and the PEM key files that
 * openssl reads and writes. JDK crypto only (no BouncyCastle). Depends on {@code json} and the
 * module's error types; must not depend on {@code manifest}, {@code trust}, {@code verify} or
 * {@code install}.
 */
package io.waveos.bundles.signature;
