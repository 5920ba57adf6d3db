package io.waveos.companion.transport;

import java.io.IOException;

/**
 * A bidirectional byte stream to one peer (the port below the frame codec). Bytes arrive in chunks of
 * arbitrary size: a chunk boundary means nothing, and the frame decoder above must reassemble.
 *
 * <p><b>Lifecycle.</b> {@link #open} connects and starts delivery; it may be called again after the
 * connection has ended (closed locally or by the peer), which starts a new connection (except on a
 * transport from {@link TcpListener#accept}, which wraps one accepted socket). Each successful
 * {@code open} is matched by exactly one {@link Receiver#onClosed}, whatever ends it: {@link #close},
 * the peer going away, a read error or a failing receiver.
 *
 * <p><b>Threading.</b> The real transports ({@link SerialTransport}, {@link TcpTransport}) call the
 * receiver from one dedicated reader thread per connection, which does blocking reads (for jSerialComm
 * this has a much better tail latency than its event listener). Calls to one receiver are therefore
 * never concurrent. {@link PipeTransport} has no threads: it calls the receiver from whichever thread
 * pumps it. {@link #send} and {@link #close} may be called from any thread, including from inside a
 * receiver callback.
 *
 * <p><b>Bounded memory.</b> Nothing is queued without bound. {@link #send} is synchronous: it returns
 * once the whole buffer is handed to the operating system (or the pipe's bounded in-flight store), so
 * a slow peer blocks the sender rather than growing a queue. The reader hands each chunk over from its
 * fixed-size read buffer and reads no further until the receiver returns, so a slow receiver pushes
 * back on the peer through the kernel's buffers.
 */
public interface ByteTransport extends AutoCloseable {

    /** What a transport delivers to. */
    interface Receiver {
        /**
         * Bytes from the peer, in order. {@code buf} is only valid during the call (the transport
         * reuses it); copy what must be kept. Should return quickly: reading stops while it runs.
         * An exception thrown here ends a real transport's connection (reason "receiver failed: ...");
         * on a {@link PipeTransport} it propagates to whoever pumps.
         */
        void onBytes(byte[] buf, int off, int len);

        /**
         * The connection has ended; called exactly once per successful {@link ByteTransport#open},
         * after the last {@link #onBytes} of that connection and after the device or socket has been
         * released (so reopening from here works). {@code reason} is for logs and events.
         */
        void onClosed(String reason);
    }

    /**
     * Connects and starts delivering to {@code receiver}.
     *
     * @throws IOException if the device or peer cannot be opened (nothing is delivered then)
     * @throws IllegalStateException if a connection opened earlier has not ended yet
     */
    void open(Receiver receiver) throws IOException;

    /**
     * Writes the whole buffer, or throws. Concurrent calls are serialised; bytes of one call are never
     * interleaved with another's.
     *
     * @throws IOException if not open, if the connection has ended, or if the write fails or times out
     */
    void send(byte[] bytes) throws IOException;

    /**
     * Ends the current connection, if any; idempotent. The receiver gets {@link Receiver#onClosed}
     * before this returns. On a real transport, when called from inside a receiver callback (on the
     * reader thread), onClosed follows as soon as that callback returns.
     */
    @Override
    void close();

    /** A short human-readable name for logs, e.g. {@code serial /dev/ttyAMA0 115200 8N1}. */
    String describe();
}
