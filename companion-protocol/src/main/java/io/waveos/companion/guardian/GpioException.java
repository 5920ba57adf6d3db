package io.waveos.companion.guardian;

/**
 * A GPIO line could not be opened or driven: the configured provider is missing, the pin is taken, or
 * the driver refused. The message names the provider and pin.
 */
public final class GpioException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GpioException(String message) {
        super(message);
    }

    public GpioException(String message, Throwable cause) {
        super(message, cause);
    }
}
