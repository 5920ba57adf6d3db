package io.waveos.companion.transport;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.tinylog.Logger;

/**
 * The one dedicated thread per connection of a real transport: blocking reads into a fixed buffer,
 * each chunk handed to the receiver before the next read, and at the end the source released and
 * {@link ByteTransport.Receiver#onClosed} called exactly once, on this thread.
 */
final class ReaderThread {

    /** What the thread reads from. */
    interface Source {
        /**
         * Reads into {@code buf}: the number of bytes read (&gt; 0), 0 when a bounded wait ended with
         * no data (the thread then checks for a stop request), or -1 at the end of the stream.
         */
        int read(byte[] buf) throws IOException;

        /** Releases the device or socket; called once, on the reader thread, before onClosed. */
        void release();
    }

    private final Source source;
    private final byte[] buffer;
    private final ByteTransport.Receiver receiver;
    private final String endOfStreamReason;
    private final Thread thread;
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile String stopReason;
    private volatile boolean released;

    private ReaderThread(String name, Source source, int bufferBytes, ByteTransport.Receiver receiver,
            String endOfStreamReason) {
        this.source = source;
        this.buffer = new byte[bufferBytes];
        this.receiver = receiver;
        this.endOfStreamReason = endOfStreamReason;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    /** Starts reading; {@code endOfStreamReason} is the onClosed reason when the source returns -1. */
    static ReaderThread start(String name, Source source, int bufferBytes, ByteTransport.Receiver receiver,
            String endOfStreamReason) {
        ReaderThread reader = new ReaderThread(name, source, bufferBytes, receiver, endOfStreamReason);
        reader.thread.start();
        return reader;
    }

    /** Asks the thread to stop at its next check; the first reason asked for is the one reported. */
    synchronized void requestStop(String reason) {
        if (stopReason == null) {
            stopReason = reason;
        }
    }

    boolean isReaderThread() {
        return Thread.currentThread() == thread;
    }

    /** True once the source has been released: the device may be opened again. */
    boolean isReleased() {
        return released;
    }

    /** Waits up to {@code bound} for onClosed to have returned; false if it has not. */
    boolean awaitEnd(Duration bound) {
        try {
            return ended.await(bound.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ended.getCount() == 0;
        }
    }

    private void run() {
        String reason = readUntilEnd();
        try {
            source.release();
        } finally {
            released = true;
            try {
                receiver.onClosed(reason);
            } finally {
                ended.countDown();
            }
        }
    }

    private String readUntilEnd() {
        while (true) {
            String stop = stopReason;
            if (stop != null) {
                return stop;
            }
            int n;
            try {
                n = source.read(buffer);
            } catch (IOException e) {
                return stopReason != null ? stopReason : "read failed: " + e.getMessage();
            }
            if (n < 0) {
                return stopReason != null ? stopReason : endOfStreamReason;
            }
            if (n > 0) {
                try {
                    receiver.onBytes(buffer, 0, n);
                } catch (RuntimeException e) {
                    Logger.error(e, "receiver failed on {}", thread.getName());
                    return "receiver failed: " + e;
                }
            }
        }
    }
}
