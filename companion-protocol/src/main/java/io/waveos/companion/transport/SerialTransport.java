package io.waveos.companion.transport;

import com.fazecast.jSerialComm.SerialPort;
import com.fazecast.jSerialComm.SerialPortInvalidPortException;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import org.tinylog.Logger;

/**
 * A serial port through jSerialComm, opened by device path (also PTYs and their symlinks, which
 * jSerialComm does not enumerate), 8N1 without flow control, exclusively: a second open of the same
 * device, from this or another process, fails.
 *
 * <p>Reads block until at least one byte is there, with a bound ({@link SerialSettings#readPoll()}),
 * on one reader thread per connection, so that {@link #close()} ends the reader within about one poll
 * (jSerialComm's {@code TIMEOUT_READ_SEMI_BLOCKING}; its {@code TIMEOUT_READ_BLOCKING} waits until the
 * whole read buffer is full or the bound passes, which turns every small frame into a full poll of
 * latency). A read returning -1 means
 * the peer or device is gone (a PTY whose other side closed, a USB adapter unplugged): the port is
 * released and {@link Receiver#onClosed} reports it. Writes are blocking with a bound
 * ({@link SerialSettings#writeTimeout()}); a write that makes no progress within it fails the send.
 *
 * <p>Before the first use of jSerialComm, {@link JSerialCommNativeLibrary#prepare()} makes sure its
 * native library is loaded from a private or packaged folder and never extracted world-writable into
 * the temp folder.
 */
public final class SerialTransport implements ByteTransport {
    private static final int READ_BUFFER_BYTES = 4096;

    private final String devicePath;
    private final SerialSettings settings;
    private final JSerialCommNativeLibrary nativeLibrary;
    private final Object stateLock = new Object();
    private final Object writeLock = new Object();
    private ReaderThread reader; // guarded by stateLock
    private SerialPort port; // guarded by writeLock; null when no connection is usable

    /**
     * @param devicePath e.g. {@code /dev/ttyAMA0}, or a symlink to a PTY
     * @param nativeLibrary prepared on the first {@link #open}
     */
    public SerialTransport(String devicePath, SerialSettings settings, JSerialCommNativeLibrary nativeLibrary) {
        this.devicePath = devicePath;
        this.settings = settings;
        this.nativeLibrary = nativeLibrary;
    }

    @Override
    public void open(Receiver receiver) throws IOException {
        Objects.requireNonNull(receiver, "receiver");
        synchronized (stateLock) {
            if (reader != null && !reader.isReleased()) {
                throw new IllegalStateException(describe() + " is already open");
            }
            nativeLibrary.prepare();
            SerialPort opened = openPort();
            synchronized (writeLock) {
                port = opened;
            }
            reader = ReaderThread.start("serial-reader " + devicePath, new PortSource(opened),
                    READ_BUFFER_BYTES, receiver, "peer gone: read returned -1 on " + devicePath);
        }
    }

    private SerialPort openPort() throws IOException {
        SerialPort candidate;
        try {
            candidate = SerialPort.getCommPort(devicePath);
        } catch (SerialPortInvalidPortException e) {
            throw new IOException("no serial device at " + devicePath, e);
        }
        candidate.setComPortParameters(settings.baudRate(), 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
        candidate.setFlowControl(SerialPort.FLOW_CONTROL_DISABLED);
        // semi-blocking: a read returns as soon as any byte is there (or after readPoll with 0).
        // TIMEOUT_READ_BLOCKING would wait to fill the whole read buffer: 64-byte echoes took 200 ms
        candidate.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING,
                millis(settings.readPoll()), millis(settings.writeTimeout()));
        // no "safety sleep" before opening: reconnect latency matters more than jSerialComm's guard
        // against applications that reopen in a tight loop, which the link does not do
        if (!candidate.openPort(0)) {
            throw new IOException("cannot open " + describe() + " (" + candidate.getSystemPortPath()
                    + "): error " + candidate.getLastErrorCode() + " at " + candidate.getLastErrorLocation()
                    + "; busy (opened exclusively elsewhere), missing, or no permission");
        }
        return candidate;
    }

    @Override
    public void send(byte[] bytes) throws IOException {
        synchronized (writeLock) {
            SerialPort current = port;
            if (current == null) {
                throw new IOException(describe() + " is not open");
            }
            int written = 0;
            while (written < bytes.length) {
                int n = current.writeBytes(bytes, bytes.length - written, written);
                if (n <= 0) {
                    throw new IOException("write to " + describe() + " failed after " + written + " of "
                            + bytes.length + " bytes (error " + current.getLastErrorCode()
                            + "): no progress within " + settings.writeTimeout() + " or peer gone");
                }
                written += n;
            }
        }
    }

    @Override
    public void close() {
        ReaderThread current;
        synchronized (stateLock) {
            current = reader;
        }
        if (current == null) {
            return;
        }
        current.requestStop("closed locally");
        if (current.isReaderThread()) {
            return;
        }
        // the reader notices within one poll, may wait for a write in progress, then runs onClosed
        Duration bound = settings.readPoll().multipliedBy(2).plus(settings.writeTimeout()).plusSeconds(2);
        if (!current.awaitEnd(bound)) {
            Logger.warn("{}: reader did not end within {} (receiver still busy?)", describe(), bound);
        }
    }

    @Override
    public String describe() {
        return "serial " + devicePath + " " + settings.baudRate() + " 8N1";
    }

    private static int millis(Duration duration) {
        return Math.toIntExact(duration.toMillis());
    }

    private final class PortSource implements ReaderThread.Source {
        private final SerialPort source;

        PortSource(SerialPort source) {
            this.source = source;
        }

        @Override
        public int read(byte[] buf) {
            return source.readBytes(buf, buf.length);
        }

        @Override
        public void release() {
            synchronized (writeLock) {
                if (port == source) {
                    port = null;
                }
                source.closePort();
            }
        }
    }
}
