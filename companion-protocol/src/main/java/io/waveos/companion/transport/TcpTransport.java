package io.waveos.companion.transport;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Objects;
import org.tinylog.Logger;

/**
 * A TCP connection, for serial-over-network and the simulator, with {@code TCP_NODELAY} (frames are
 * small and latency matters more than packet count).
 *
 * <p>A client transport ({@link #TcpTransport(InetSocketAddress, Duration)}) connects on each
 * {@link #open}, so it can reconnect after the peer went away. A transport from
 * {@link TcpListener#accept} wraps one accepted socket and can be opened once.
 *
 * <p>One reader thread per connection does blocking reads; {@link #close()} closes the socket, which
 * ends both that read and a send blocked on a peer that stopped reading. TCP has no write timeout: a
 * send to a stalled peer blocks until the peer drains or the connection is closed (the link's
 * heartbeat supervision is what notices and closes).
 */
public final class TcpTransport implements ByteTransport {
    private static final int READ_BUFFER_BYTES = 4096;
    private static final Duration CLOSE_BOUND = Duration.ofSeconds(5);

    private final String description;
    private final Connector connector;
    private final Object stateLock = new Object();
    private final Object writeLock = new Object();
    private ReaderThread reader; // guarded by stateLock
    private volatile Socket socket; // the current connection; null before the first open

    /** Where the sockets come from: a fresh connection per open, or the one accepted socket. */
    private interface Connector {
        Socket connect() throws IOException;

        /** Closes a socket obtained but never handed to {@link #connect}; idempotent. */
        void discard();
    }

    /** A client that connects to {@code address} within {@code connectTimeout} on each open. */
    public TcpTransport(InetSocketAddress address, Duration connectTimeout) {
        this("tcp " + address, new Connector() {
            @Override
            public Socket connect() throws IOException {
                Socket s = new Socket();
                try {
                    s.connect(address, Math.toIntExact(connectTimeout.toMillis()));
                    return s;
                } catch (IOException e) {
                    s.close();
                    throw new IOException("cannot connect to " + address + " within " + connectTimeout, e);
                }
            }

            @Override
            public void discard() {
                // nothing held between connections
            }
        });
    }

    private TcpTransport(String description, Connector connector) {
        this.description = description;
        this.connector = connector;
    }

    /** Wraps a socket accepted by {@link TcpListener}; it can be opened once. */
    static TcpTransport accepted(Socket accepted, String listenerDescription) {
        String description = "tcp peer " + accepted.getRemoteSocketAddress() + " on " + listenerDescription;
        return new TcpTransport(description, new Connector() {
            private boolean handedOut;

            @Override
            public synchronized Socket connect() throws IOException {
                if (handedOut) {
                    throw new IOException(description + " has ended; accept a new connection");
                }
                handedOut = true;
                return accepted;
            }

            @Override
            public synchronized void discard() {
                if (!handedOut) {
                    handedOut = true;
                    closeQuietly(accepted, description);
                }
            }
        });
    }

    @Override
    public void open(Receiver receiver) throws IOException {
        Objects.requireNonNull(receiver, "receiver");
        synchronized (stateLock) {
            if (reader != null && !reader.isReleased()) {
                throw new IllegalStateException(description + " is already open");
            }
            Socket s = connector.connect();
            InputStream in;
            try {
                s.setTcpNoDelay(true);
                in = s.getInputStream();
            } catch (IOException e) {
                closeQuietly(s, description);
                throw e;
            }
            socket = s;
            reader = ReaderThread.start("tcp-reader " + description, new SocketSource(s, in),
                    READ_BUFFER_BYTES, receiver, "peer closed the connection");
        }
    }

    @Override
    public void send(byte[] bytes) throws IOException {
        synchronized (writeLock) {
            Socket s = socket;
            if (s == null || s.isClosed()) {
                throw new IOException(description + " is not open");
            }
            s.getOutputStream().write(bytes);
        }
    }

    @Override
    public void close() {
        close("closed locally");
    }

    /** Ends the connection reporting {@code reason} (the listener uses it when a newer peer arrives). */
    void close(String reason) {
        ReaderThread current;
        synchronized (stateLock) {
            current = reader;
        }
        if (current == null) {
            connector.discard();
            return;
        }
        current.requestStop(reason);
        Socket s = socket;
        if (s != null) {
            closeQuietly(s, description); // unblocks the reader's read and any blocked send
        }
        if (!current.isReaderThread() && !current.awaitEnd(CLOSE_BOUND)) {
            Logger.warn("{}: reader did not end within {} (receiver still busy?)", description, CLOSE_BOUND);
        }
    }

    @Override
    public String describe() {
        return description;
    }

    private static void closeQuietly(Socket s, String description) {
        try {
            s.close();
        } catch (IOException e) {
            Logger.warn(e, "{}: closing the socket failed", description);
        }
    }

    private final class SocketSource implements ReaderThread.Source {
        private final Socket source;
        private final InputStream in;

        SocketSource(Socket source, InputStream in) {
            this.source = source;
            this.in = in;
        }

        @Override
        public int read(byte[] buf) throws IOException {
            return in.read(buf);
        }

        @Override
        public void release() {
            closeQuietly(source, description);
        }
    }
}
