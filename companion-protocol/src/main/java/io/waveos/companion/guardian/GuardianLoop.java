package io.waveos.companion.guardian;

import io.waveos.companion.transport.ByteTransport;
import io.waveos.companion.transport.SerialTransport;
import io.waveos.companion.transport.TcpListener;
import io.waveos.companion.transport.TcpTransport;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.tinylog.Logger;

/**
 * The Guardian's event loop, part of the composition root ({@link GuardianMain}). The thread that calls
 * {@link #run} is the only one that touches the {@link GuardianRuntime} (and so the link and the core).
 * Other threads only enqueue: the transport's reader (bytes, close), the TCP acceptor (connections),
 * the scheduler (ticks, redials) and the shutdown hook (stop).
 *
 * <p>The queue is bounded ({@value #QUEUE_EVENTS} events of at most one read buffer each). A full queue
 * blocks the reader, which pushes back on the peer through the kernel's buffers; ticks are coalesced
 * (at most one queued) and never block the scheduler. Each connection has a generation: bytes and
 * closes of a connection that was replaced are ignored.
 */
final class GuardianLoop {
    static final int QUEUE_EVENTS = 256;
    private static final Duration REDIAL_DELAY = Duration.ofSeconds(2);

    /** Where connections come from: a serial port that is dialled, or a TCP listener that accepts. */
    interface Connector extends AutoCloseable {
        /** Starts delivering connections to {@code accepted} from a thread of its own, if it accepts. */
        void begin(Consumer<ByteTransport> accepted);

        /** The connection to open now if this connector dials (serial); empty if it waits for peers. */
        Optional<ByteTransport> dial();

        String describe();

        @Override
        void close();
    }

    /** Lets a shutdown hook stop a loop that may not have started yet. */
    static final class StopHandle {
        private volatile String reason;
        private volatile GuardianLoop loop;

        void request(String why) {
            reason = why;
            GuardianLoop current = loop;
            if (current != null) {
                current.enqueue(new Stop(why));
            }
        }

        Optional<String> requested() {
            return Optional.ofNullable(reason);
        }
    }

    private sealed interface Event permits Bytes, Closed, Accepted, Redial, Tick, Stop {
    }

    private record Bytes(long generation, byte[] data) implements Event {
    }

    private record Closed(long generation, String reason) implements Event {
    }

    private record Accepted(ByteTransport transport) implements Event {
    }

    private record Redial() implements Event {
    }

    private record Tick() implements Event {
    }

    private record Stop(String why) implements Event {
    }

    private final GuardianRuntime runtime;
    private final Scheduler scheduler;
    private final Connector connector;
    private final Duration tickPeriod;
    private final LongSupplier clock;
    private final StopHandle stopHandle;
    private final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(QUEUE_EVENTS);
    private final AtomicBoolean tickQueued = new AtomicBoolean();
    private volatile boolean stopped;
    private ByteTransport current;
    private long generation;
    private boolean dialFailing;

    GuardianLoop(GuardianRuntime runtime, Scheduler scheduler, Connector connector, Duration tickPeriod,
            LongSupplier monotonicNanos, StopHandle stopHandle) {
        this.runtime = runtime;
        this.scheduler = scheduler;
        this.connector = connector;
        this.tickPeriod = tickPeriod;
        this.clock = monotonicNanos;
        this.stopHandle = stopHandle;
    }

    /** Runs until a stop is requested; then logs it, stops the link and closes the connection. */
    void run() {
        runtime.start(clock.getAsLong());
        stopHandle.loop = this;
        String why = "the Guardian stopped";
        try {
            if (stopHandle.requested().isPresent()) {
                why = stopHandle.requested().get();
                return;
            }
            connector.begin(transport -> enqueue(new Accepted(transport)));
            enqueue(new Redial());
            scheduleTick();
            while (true) {
                Event event = queue.take();
                if (event instanceof Stop stop) {
                    why = stop.why();
                    return;
                }
                handle(event, clock.getAsLong());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            why = "the Guardian's loop was interrupted";
        } finally {
            stopped = true;
            long now = clock.getAsLong();
            runtime.stop(why, now);
            if (current != null) {
                runtime.disconnected("the Guardian is stopping", now);
                current.close();
            }
            Logger.info("waveos guardian: stopped: {}", why);
        }
    }

    private void handle(Event event, long now) {
        if (event instanceof Bytes bytes) {
            if (bytes.generation() == generation && current != null) {
                runtime.onBytes(bytes.data(), 0, bytes.data().length, now);
            }
        } else if (event instanceof Closed closed) {
            if (closed.generation() == generation && current != null) {
                Logger.warn("waveos guardian: connection closed: {}", closed.reason());
                runtime.disconnected(closed.reason(), now);
                current = null;
                if (connector.dial().isPresent()) {
                    scheduler.schedule(REDIAL_DELAY, () -> enqueue(new Redial()));
                }
            }
        } else if (event instanceof Accepted accepted) {
            open(accepted.transport(), now);
        } else if (event instanceof Redial) {
            if (current == null) {
                connector.dial().ifPresent(transport -> open(transport, now));
            }
        } else if (event instanceof Tick) {
            tickQueued.set(false);
            runtime.tick(now);
        }
    }

    private void open(ByteTransport transport, long now) {
        if (current != null) {
            runtime.disconnected("replaced by a newer connection", now);
            current.close();
            current = null;
        }
        long connection = ++generation;
        try {
            transport.open(new ByteTransport.Receiver() {
                @Override
                public void onBytes(byte[] buf, int off, int len) {
                    enqueue(new Bytes(connection, Arrays.copyOfRange(buf, off, off + len)));
                }

                @Override
                public void onClosed(String reason) {
                    enqueue(new Closed(connection, reason));
                }
            });
        } catch (IOException | RuntimeException e) {
            if (!dialFailing) {
                Logger.warn("waveos guardian: cannot open {}: {}; retrying every {}", transport.describe(),
                        e.getMessage(), DurationText.of(REDIAL_DELAY));
            }
            dialFailing = true;
            if (connector.dial().isPresent()) {
                scheduler.schedule(REDIAL_DELAY, () -> enqueue(new Redial()));
            }
            return;
        }
        dialFailing = false;
        current = transport;
        Logger.info("waveos guardian: connected: {}", transport.describe());
        runtime.connected(transport::send, now);
    }

    private void scheduleTick() {
        scheduler.schedule(tickPeriod, () -> {
            if (stopped) {
                return;
            }
            if (!tickQueued.getAndSet(true) && !queue.offer(new Tick())) {
                tickQueued.set(false);
            }
            scheduleTick();
        });
    }

    /** From any thread: waits while the queue is full, gives up once the loop has stopped. */
    private void enqueue(Event event) {
        try {
            while (!stopped) {
                if (queue.offer(event, 100, TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A serial port, opened again a little after each failure or close. */
    static final class SerialConnector implements Connector {
        private final SerialTransport serial;

        SerialConnector(SerialTransport serial) {
            this.serial = serial;
        }

        @Override
        public void begin(Consumer<ByteTransport> accepted) {
            // Dialled from the loop (dial()); nothing arrives on its own.
        }

        @Override
        public Optional<ByteTransport> dial() {
            return Optional.of(serial);
        }

        @Override
        public String describe() {
            return serial.describe();
        }

        @Override
        public void close() {
            serial.close();
        }
    }

    /** A TCP listener; an acceptor thread hands each new peer to the loop (which replaces the old one). */
    static final class TcpConnector implements Connector {
        private final TcpListener listener;
        private Thread acceptor;

        TcpConnector(TcpListener listener) {
            this.listener = listener;
        }

        @Override
        public void begin(Consumer<ByteTransport> accepted) {
            acceptor = new Thread(() -> {
                while (true) {
                    TcpTransport peer;
                    try {
                        peer = listener.accept();
                    } catch (IOException e) {
                        Logger.info("waveos guardian: {} stopped accepting: {}", listener.describe(), e.getMessage());
                        return;
                    }
                    accepted.accept(peer);
                }
            }, "guardian-acceptor");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        @Override
        public Optional<ByteTransport> dial() {
            return Optional.empty();
        }

        @Override
        public String describe() {
            return listener.describe();
        }

        @Override
        public void close() {
            listener.close();
        }
    }
}
