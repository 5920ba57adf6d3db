package io.waveos.companion.frame;

/** A key file was refused; the message names the file and the problem, never a secret. */
public final class LinkKeyFileException extends Exception {
    private static final long serialVersionUID = 1L;

    public LinkKeyFileException(String message) {
        super(message);
    }

    public LinkKeyFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
