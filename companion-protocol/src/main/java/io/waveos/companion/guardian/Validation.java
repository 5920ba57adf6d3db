package io.waveos.companion.guardian;

import java.time.Duration;

/** Checks shared by the configuration records; messages name the key as written in the config file. */
final class Validation {

    private Validation() {
    }

    static void positive(String key, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(key + " must be a positive duration, was " + value);
        }
    }

    static void atLeast(String key, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(key + " must be at least " + min + ", was " + value);
        }
    }

    static void ratio(String key, double value) {
        if (!(value > 0 && value <= 1)) {
            throw new IllegalArgumentException(key + " must be in (0, 1], was " + value);
        }
    }

    static void finite(String key, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(key + " must be a finite number, was " + value);
        }
    }
}
