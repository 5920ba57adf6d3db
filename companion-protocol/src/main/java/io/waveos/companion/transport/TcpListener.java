package io.waveos.companion.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.tinylog.Logger;

/**
 * The server side of {@link TcpTransport}: accepts one peer at a time. When a new peer connects while
 * the previous one is still open, the previous one is closed (its receiver gets
 * {@code onClosed("replaced by a newer peer")}): after a device reset the old connection is often
 * half-open and would otherwise hold the place until the heartbeat notices.
 *
 * <p>{@link #accept} is meant to be called by one thread at a time; {@link #close()} may be called from
 * any thread and ends a pending accept.
 */
public final class TcpListener implements AutoCloseable {
    private final ServerSocket server;
    private final String description;
    private TcpTransport current; // guarded by this

    /** Binds to {@code bindAddress} (port 0 picks a free port, see {@link #localAddress()}). */
    public TcpListener(InetSocketAddress bindAddress) throws IOException {
        ServerSocket s = new ServerSocket();
        try {
            s.setReuseAddress(true);
            s.bind(bindAddress, 1);
        } catch (IOException e) {
            s.close();
            throw new IOException("cannot listen on " + bindAddress, e);
        }
        this.server = s;
        this.description = "tcp listener " + localAddress();
    }

    /** The bound address, with the actual port. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    /**
     * Waits up to {@code timeout} for the next peer and returns it, not yet opened; closes the
     * previous peer if it is still open.
     *
     * @throws SocketTimeoutException if nobody connected within {@code timeout}
     * @throws IOException if the listener is closed or accepting fails
     */
    public TcpTransport accept(Duration timeout) throws IOException {
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        return accept(Math.toIntExact(Math.max(1, timeout.toMillis())));
    }

    /** Waits without bound for the next peer (until {@link #close()}); see {@link #accept(Duration)}. */
    public TcpTransport accept() throws IOException {
        return accept(0);
    }

    private TcpTransport accept(int timeoutMillis) throws IOException {
        server.setSoTimeout(timeoutMillis);
        Socket socket = server.accept();
        TcpTransport next = TcpTransport.accepted(socket, description);
        TcpTransport previous;
        synchronized (this) {
            previous = current;
            current = next;
        }
        if (previous != null) {
            previous.close("replaced by a newer peer");
        }
        return next;
    }

    /** Stops listening and closes the current peer, if any. */
    @Override
    public void close() {
        TcpTransport last;
        synchronized (this) {
            last = current;
            current = null;
        }
        try {
            server.close();
        } catch (IOException e) {
            Logger.warn(e, "{}: closing failed", description);
        }
        if (last != null) {
            last.close("listener closed");
        }
    }

    public String describe() {
        return description;
    }
}
