package io.waveos.companion.transport;

import java.time.Duration;

/**
 * How a serial port is driven: 8 data bits, no parity, one stop bit, no flow control, at
 * {@code baudRate}.
 *
 * @param baudRate line speed in bits per second (ignored by PTYs)
 * @param readPoll the bound on each blocking read: how long {@link ByteTransport#close()} may wait for
 *     the reader thread to notice, and how often it checks; 10 ms to 5 s
 * @param writeTimeout the bound on one write; a peer that does not drain for this long fails
 *     {@link ByteTransport#send}; 10 ms to 60 s
 */
public record SerialSettings(int baudRate, Duration readPoll, Duration writeTimeout) {

    /** Settings at {@code baudRate} with a 100 ms read poll and a 2 s write timeout. */
    public static SerialSettings of(int baudRate) {
        return new SerialSettings(baudRate, Duration.ofMillis(100), Duration.ofSeconds(2));
    }

    public SerialSettings {
        if (baudRate <= 0) {
            throw new IllegalArgumentException("baudRate must be positive, was " + baudRate);
        }
        requireWithin("readPoll", readPoll, Duration.ofMillis(10), Duration.ofSeconds(5));
        requireWithin("writeTimeout", writeTimeout, Duration.ofMillis(10), Duration.ofSeconds(60));
    }

    private static void requireWithin(String name, Duration value, Duration min, Duration max) {
        if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", was " + value);
        }
    }
}
