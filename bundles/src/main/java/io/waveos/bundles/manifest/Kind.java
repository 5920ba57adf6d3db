package io.waveos.bundles.manifest;

import java.util.Locale;
import java.util.Optional;

/** What a bundle changes. Each kind has its own signature threshold in the trust root. */
public enum Kind {
    /** Programs and the service definitions that run them; installed with a trial. */
    APP,
    /** Configuration files (for example the policy); installed with a trial. */
    CONFIG,
    /** Certificates and other trust material for the device's services. */
    CERTS;

    /** The lower-case name used in manifests and trust roots. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Kind> fromWire(String text) {
        for (Kind k : values()) {
            if (k.wireName().equals(text)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
