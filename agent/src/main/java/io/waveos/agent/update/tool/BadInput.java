package io.waveos.agent.update.tool;

/**
 * A command line or input file the tools cannot use: a missing file, a key that is not an Ed25519 PEM
 * key, a bad template or time. The message names what and where in one line; the exit status is 2.
 */
final class BadInput extends Exception {
    private static final long serialVersionUID = 1L;

    BadInput(String message) {
        super(message);
    }

    BadInput(String message, Throwable cause) {
        super(message, cause);
    }
}
