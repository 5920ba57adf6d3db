package io.waveos.bundles.signature;

import java.security.PublicKey;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which trusted keys signed an envelope validly. A key counts once however many signatures carry its
 * keyid; it is {@link #valid} when at least one of them verifies over the PAE, {@link #invalid} when
 * it signed but none verifies. Signatures whose keyid is not trusted are ignored (neither set), so a
 * bundle may carry signatures for other fleets.
 *
 * @param valid keyids, sorted
 * @param invalid keyids, sorted; disjoint from {@code valid}
 */
public record SignatureTally(Set<String> valid, Set<String> invalid) {

    public SignatureTally {
        valid = Set.copyOf(valid);
        invalid = Set.copyOf(invalid);
    }

    /** Verifies every signature whose keyid is in {@code trusted} (keyid to key). */
    public static SignatureTally of(Envelope envelope, Map<String, PublicKey> trusted) {
        byte[] pae = envelope.pae();
        Set<String> valid = new TreeSet<>();
        Set<String> tried = new TreeSet<>();
        for (Envelope.Signature s : envelope.signatures()) {
            PublicKey key = trusted.get(s.keyid());
            if (key == null || valid.contains(s.keyid())) {
                continue;
            }
            tried.add(s.keyid());
            if (Ed25519.verify(key, pae, s.sig())) {
                valid.add(s.keyid());
            }
        }
        tried.removeAll(valid);
        return new SignatureTally(valid, tried);
    }

    /** How many of {@code eligible} signed validly. */
    public int countValid(Set<String> eligible) {
        return (int) valid.stream().filter(eligible::contains).count();
    }

    /** Whether any of {@code eligible} signed but its signature failed. */
    public boolean anyInvalid(Set<String> eligible) {
        return invalid.stream().anyMatch(eligible::contains);
    }

    /** The valid keyids among {@code eligible}, sorted. */
    public Set<String> validAmong(Set<String> eligible) {
        Set<String> out = new TreeSet<>(valid);
        out.retainAll(eligible);
        return out;
    }
}
