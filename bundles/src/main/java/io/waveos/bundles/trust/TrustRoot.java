package io.waveos.bundles.trust;

import java.security.PublicKey;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The keys a device trusts, with a k-of-n threshold per {@link Role}. Validated on construction:
 * no key listed twice, every role has a threshold of at least 1 and at most the number of keys
 * holding that role.
 *
 * @param version monotonic; a rotation must raise it
 * @param expires after this instant nothing signed under this root is accepted
 * @param keys in file order
 * @param thresholds one entry per role
 */
public record TrustRoot(long version, Instant expires, List<TrustedKey> keys, Map<Role, Integer> thresholds) {

    /** The only trust root format this library reads and writes. */
    public static final int FORMAT = 1;

    public TrustRoot {
        Objects.requireNonNull(expires, "expires");
        keys = List.copyOf(keys);
        thresholds = Map.copyOf(new EnumMap<>(thresholds));
        if (version < 1) {
            throw new IllegalArgumentException("version must be positive: " + version);
        }
        Set<String> ids = new HashSet<>();
        for (TrustedKey k : keys) {
            if (!ids.add(k.keyid())) {
                throw new IllegalArgumentException("key " + k.keyid() + " is listed twice");
            }
        }
        for (Role role : Role.values()) {
            Integer t = thresholds.get(role);
            if (t == null) {
                throw new IllegalArgumentException("no threshold for role " + role.wireName());
            }
            long holders = keys.stream().filter(k -> k.roles().contains(role)).count();
            if (t < 1 || t > holders) {
                throw new IllegalArgumentException("threshold for " + role.wireName() + " must be 1 to "
                        + holders + " (the keys holding it), is " + t);
            }
        }
    }

    public int threshold(Role role) {
        return thresholds.get(role);
    }

    /** The keyid to key map of the keys holding {@code role}, in file order. */
    public Map<String, PublicKey> keysFor(Role role) {
        Map<String, PublicKey> out = new LinkedHashMap<>();
        keys.stream().filter(k -> k.roles().contains(role)).forEach(k -> out.put(k.keyid(), k.key()));
        return out;
    }

    /** Every key, keyid to key. */
    public Map<String, PublicKey> allKeys() {
        return keys.stream().collect(Collectors.toMap(TrustedKey::keyid, TrustedKey::key, (a, b) -> a, LinkedHashMap::new));
    }

    /** Whether the root has expired at {@code trustedNow} (expiry is exclusive: valid strictly before). */
    public boolean expiredAt(Instant trustedNow) {
        return !trustedNow.isBefore(expires);
    }

    /** A copy with {@code key} added (or replacing the key with the same keyid); thresholds unchanged. */
    public TrustRoot withKey(TrustedKey key) {
        List<TrustedKey> more = new java.util.ArrayList<>(keys.stream().filter(k -> !k.keyid().equals(key.keyid())).toList());
        more.add(key);
        return new TrustRoot(version, expires, more, thresholds);
    }

    /** A copy without the key {@code keyid}; fails if a threshold could then not be met. */
    public TrustRoot withoutKey(String keyid) {
        return new TrustRoot(version, expires, keys.stream().filter(k -> !k.keyid().equals(keyid)).toList(), thresholds);
    }

    /** A copy with one threshold changed. */
    public TrustRoot withThreshold(Role role, int threshold) {
        Map<Role, Integer> t = new EnumMap<>(thresholds);
        t.put(role, threshold);
        return new TrustRoot(version, expires, keys, t);
    }

    /** A copy with a new version and expiry: the start of a rotation. */
    public TrustRoot withVersion(long newVersion, Instant newExpires) {
        return new TrustRoot(newVersion, newExpires, keys, thresholds);
    }
}
