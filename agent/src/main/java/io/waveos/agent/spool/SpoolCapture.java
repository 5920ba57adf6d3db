package io.waveos.agent.spool;

import io.waveos.agent.platform.OutputSink;

/**
 * Puts services' output into the spool line by line: each channel owns a {@link LineSplitter}
 * (bounded by {@code maxLineBytes}) and offers every line without waiting, so a pipe reader never
 * blocks; lines the spool's queue cannot take are dropped and counted there.
 */
public final class SpoolCapture implements OutputSink {
    private final Spool spool;
    private final int maxLineBytes;

    public SpoolCapture(Spool spool, int maxLineBytes) {
        this.spool = spool;
        this.maxLineBytes = maxLineBytes;
    }

    @Override
    public Channel open(String service, String stream) {
        Stream s = switch (stream) {
            case "stdout" -> Stream.STDOUT;
            case "stderr" -> Stream.STDERR;
            default -> throw new IllegalArgumentException("unknown stream: " + stream);
        };
        LineSplitter splitter = new LineSplitter(maxLineBytes);
        LineSplitter.LineSink sink = (line, flags) -> spool.offer(service, s, flags, line);
        return new Channel() {
            @Override
            public void write(byte[] bytes, int offset, int length) {
                splitter.feed(bytes, offset, length, sink);
            }

            @Override
            public void close() {
                splitter.finish(sink);
            }
        };
    }
}
