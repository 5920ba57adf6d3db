package io.waveos.agent.platform.linux;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * The agent's local control socket: an AF_UNIX stream socket (mode 0600, so only the agent's user,
 * normally root, can connect). A client writes one request line (at most {@value #MAX_REQUEST} bytes)
 * and reads the reply until the agent closes the connection.
 *
 * <p>Threading: one acceptor thread; each connection is served on a short-lived thread, at most
 * {@value #MAX_CLIENTS} at once (more are refused with an error line). The request is handed to
 * {@link Handler#handle} with the peer's user name from {@code SO_PEERCRED}; the handler answers
 * through the returned future, normally completed by the agent's loop thread.
 */
public final class ControlSocketServer implements AutoCloseable {
    static final int MAX_REQUEST = 1024;
    static final int MAX_CLIENTS = 4;
    static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(5);
    static final long MAX_DRAIN = 64 * 1024;

    private final Path path;
    private final ServerSocketChannel server;
    private final Handler handler;
    private final Semaphore clients = new Semaphore(MAX_CLIENTS);
    private final Thread acceptor;
    private volatile boolean closed;

    /** Answers one request. */
    @FunctionalInterface
    public interface Handler {
        CompletableFuture<String> handle(String request, String operator);
    }

    /**
     * Binds the socket, replacing a stale socket file left by a crashed agent.
     *
     * @throws IOException when the socket cannot be bound
     */
    public ControlSocketServer(Path path, Handler handler) throws IOException {
        this.path = path;
        this.handler = handler;
        Files.deleteIfExists(path);
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        this.acceptor = new Thread(null, this::acceptLoop, "waveos-control", 256 * 1024);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("waveos: control socket " + path + " stopped accepting: " + e.getMessage());
                }
                return;
            }
            if (!clients.tryAcquire()) {
                reply(client, "error too many control clients at once; try again\n");
                continue;
            }
            Thread t = new Thread(null, () -> {
                try {
                    serve(client);
                } finally {
                    clients.release();
                }
            }, "waveos-control-client", 256 * 1024);
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(SocketChannel client) {
        String answer;
        try {
            String request = readLine(client);
            UnixDomainPrincipal peer = client.getOption(ExtendedSocketOptions.SO_PEERCRED);
            String operator = peer.user().getName();
            answer = handler.handle(request, operator).get(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RequestException e) {
            answer = "error " + e.getMessage() + "\n";
        } catch (TimeoutException e) {
            answer = "error the agent did not answer within " + REPLY_TIMEOUT.toSeconds() + " s (event loop busy or stuck)\n";
        } catch (ExecutionException e) {
            answer = "error " + e.getCause().getMessage() + "\n";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer = "error interrupted\n";
        } catch (IOException | RuntimeException e) {
            answer = "error " + e + "\n";
        }
        reply(client, answer);
    }

    /**
     * Reads up to the first newline; refuses a longer request or one that is not text. Reads give up
     * after {@link #READ_TIMEOUT}, so a client that connects and says nothing cannot hold a slot.
     */
    static String readLine(SocketChannel client) throws IOException, RequestException {
        ByteBuffer buf = ByteBuffer.allocate(MAX_REQUEST + 1);
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        try (Selector selector = Selector.open()) {
            client.configureBlocking(false);
            client.register(selector, SelectionKey.OP_READ);
            while (buf.hasRemaining()) {
                int n = readSome(client, selector, buf, deadline);
                if (n == TIMED_OUT) {
                    throw new RequestException("no complete request line within " + READ_TIMEOUT.toSeconds() + " s");
                }
                if (n < 0) {
                    break;
                }
                for (int i = buf.position() - n; i < buf.position(); i++) {
                    if (buf.get(i) == '\n') {
                        return text(buf.array(), i);
                    }
                }
            }
        }
        if (buf.position() > MAX_REQUEST) {
            throw new RequestException("request longer than " + MAX_REQUEST + " bytes");
        }
        return text(buf.array(), buf.position());
    }

    private static final int TIMED_OUT = -2;

    /** One non-blocking read, waiting at most until {@code deadline}; -1 at end of stream. */
    private static int readSome(SocketChannel ch, Selector selector, ByteBuffer buf, long deadline) throws IOException {
        while (true) {
            int n = ch.read(buf);
            if (n != 0) {
                return n;
            }
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return TIMED_OUT;
            }
            selector.select(left);
            selector.selectedKeys().clear();
        }
    }

    private static String text(byte[] bytes, int length) throws RequestException {
        for (int i = 0; i < length; i++) {
            int b = bytes[i] & 0xff;
            if (b < 0x20 && b != '\t' && b != '\r' || b == 0x7f || b >= 0x80) {
                throw new RequestException("request is not plain ASCII text (byte 0x" + Integer.toHexString(b)
                        + " at offset " + i + ")");
            }
        }
        return new String(bytes, 0, length, StandardCharsets.US_ASCII).trim();
    }

    /**
     * Writes the reply, then discards what the client still sends (bounded in bytes and time) before
     * closing: closing a socket with unread input resets it, and the client would lose the reply.
     */
    private static void reply(SocketChannel client, String text) {
        try (client; Selector selector = Selector.open()) {
            client.configureBlocking(true);
            ByteBuffer out = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                client.write(out);
            }
            client.shutdownOutput();
            client.configureBlocking(false);
            client.register(selector, SelectionKey.OP_READ);
            ByteBuffer sink = ByteBuffer.allocate(4096);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            long discarded = 0;
            int n;
            while (discarded < MAX_DRAIN && (n = readSome(client, selector, sink, deadline)) >= 0) {
                discarded += n;
                sink.clear();
            }
        } catch (IOException e) {
            // The client went away before reading its answer: nothing is lost on our side.
            System.err.println("waveos: control client left before its reply: " + e.getMessage());
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        Files.deleteIfExists(path);
    }

    /** A request the server refuses before it reaches the agent. */
    static final class RequestException extends Exception {
        private static final long serialVersionUID = 1L;

        RequestException(String message) {
            super(message);
        }
    }

    /**
     * The client side: sends one request and returns the whole reply.
     *
     * @throws IOException when no agent listens on {@code path}
     */
    public static String request(Path path, String request) throws IOException {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(path));
                Selector selector = Selector.open()) {
            ch.write(ByteBuffer.wrap((request + "\n").getBytes(StandardCharsets.US_ASCII)));
            ch.shutdownOutput();
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_READ);
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            long deadline = System.nanoTime() + REPLY_TIMEOUT.plus(READ_TIMEOUT).toNanos();
            int n;
            while (buf.hasRemaining() && (n = readSome(ch, selector, buf, deadline)) >= 0) {
                // keep reading until the agent closes
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("no complete answer from the agent within "
                        + REPLY_TIMEOUT.plus(READ_TIMEOUT).toSeconds() + " s");
            }
            return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
        }
    }
}
