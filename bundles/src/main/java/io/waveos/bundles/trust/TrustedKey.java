package io.waveos.bundles.trust;

import io.waveos.bundles.signature.Ed25519;
import java.security.PublicKey;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * One key of a trust root.
 *
 * @param keyid lower-case hex SHA-256 of the key's SPKI DER; the constructor checks it
 * @param key an Ed25519 public key
 * @param roles non-empty
 */
public record TrustedKey(String keyid, PublicKey key, Set<Role> roles) {

    public TrustedKey {
        Objects.requireNonNull(keyid, "keyid");
        Objects.requireNonNull(key, "key");
        roles = Set.copyOf(roles);
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("a trusted key needs at least one role");
        }
        if (!keyid.equals(Ed25519.keyid(key))) {
            throw new IllegalArgumentException("keyid " + keyid + " is not the SHA-256 of the key, " + Ed25519.keyid(key));
        }
    }

    /** A key with its keyid computed. */
    public static TrustedKey of(PublicKey key, Set<Role> roles) {
        return new TrustedKey(Ed25519.keyid(key), key, roles);
    }

    /** The roles in declaration order. */
    public Set<Role> sortedRoles() {
        return roles.isEmpty() ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(roles);
    }
}
