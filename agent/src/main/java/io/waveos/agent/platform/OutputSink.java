package io.waveos.agent.platform;

/**
 * Where a launcher's pipe readers put what services write (the spool). A pipe cannot wait: a reader
 * that blocked would let the pipe fill and stall the service, so a channel never blocks and never
 * throws; what it cannot keep it drops and counts.
 */
public interface OutputSink {
    /** Opens the channel of one stream ({@code stdout} or {@code stderr}) of one service start. */
    Channel open(String service, String stream);

    /** One stream of one process; used by one reader thread. */
    interface Channel {
        /** Takes {@code length} bytes from {@code offset}; never blocks, never throws. */
        void write(byte[] bytes, int offset, int length);

        /** The stream ended: a line left without a newline is kept as a partial line. */
        void close();
    }

    /** A sink that keeps nothing (no spool configured). */
    static OutputSink none() {
        return (service, stream) -> new Channel() {
            @Override
            public void write(byte[] bytes, int offset, int length) {
            }

            @Override
            public void close() {
            }
        };
    }
}
