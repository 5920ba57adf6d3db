package io.waveos.agent.platform;

import java.io.IOException;

/**
 * A hardware watchdog in the Linux {@code /dev/watchdog} style: while open it must be kicked within
 * its timeout or it resets the board. Tests use a plain file or FIFO, never the host's device.
 */
public interface WatchdogDevice {
    /** Opens the device (arming it) if not yet open, then kicks it. */
    void kick() throws IOException;

    /** Magic close: write 'V' and close, so the watchdog disarms on a clean shutdown. */
    void disarm() throws IOException;
}
