package io.waveos.bundles.signature;

/** A key file or PEM text that is not an Ed25519 key of the expected kind; the message names the source and the problem. */
public final class KeyFileException extends Exception {
    private static final long serialVersionUID = 1L;

    public KeyFileException(String source, String problem) {
        super(source + ": " + problem);
    }

    public KeyFileException(String source, String problem, Throwable cause) {
        super(source + ": " + problem, cause);
    }
}
