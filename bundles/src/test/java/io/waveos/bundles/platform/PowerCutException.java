package io.waveos.bundles.platform;

import java.io.IOException;

/** Thrown by {@link CrashingStorage} for every operation from a scheduled power cut until {@link CrashingStorage#powerCut()}. */
public final class PowerCutException extends IOException {

    private static final long serialVersionUID = 1L;

    public PowerCutException(String what) {
        super("power cut before " + what);
    }
}
