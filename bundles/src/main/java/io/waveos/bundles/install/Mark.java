package io.waveos.bundles.install;

import java.util.Locale;
import java.util.Optional;

/** What is known about the content of a slot (RAUC's slot marks, plus the trial in between). */
public enum Mark {
    /** Committed: it passed its trial, or it is the previous good version. */
    GOOD,
    /** Being written, abandoned, rolled back, or never verified: must never be activated. */
    BAD,
    /** Written, verified and active, but not yet proven by its trial. */
    TRIAL;

    /** The lower-case name used in {@code state.json}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Mark> fromWire(String text) {
        for (Mark m : values()) {
            if (m.wireName().equals(text)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
