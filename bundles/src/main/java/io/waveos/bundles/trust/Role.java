package io.waveos.bundles.trust;

import io.waveos.bundles.manifest.Kind;
import java.util.Locale;
import java.util.Optional;

/** What a trusted key may sign: the trust root itself, or bundles of one kind. */
public enum Role {
    ROOT,
    APP,
    CONFIG,
    CERTS;

    /** The lower-case name used in trust root files. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> fromWire(String text) {
        for (Role r : values()) {
            if (r.wireName().equals(text)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** The role whose keys sign bundles of {@code kind}. */
    public static Role forKind(Kind kind) {
        return switch (kind) {
            case APP -> APP;
            case CONFIG -> CONFIG;
            case CERTS -> CERTS;
        };
    }
}
