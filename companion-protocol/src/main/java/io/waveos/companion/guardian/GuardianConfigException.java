package io.waveos.companion.guardian;

/** Invalid Guardian configuration; the message names the source, the key and what was expected. */
public final class GuardianConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public GuardianConfigException(String message) {
        super(message);
    }

    public GuardianConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
