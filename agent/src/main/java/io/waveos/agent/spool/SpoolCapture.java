package io.waveos.agent.spool;

import io.waveos.agent.platform.OutputSink;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Puts services' output into the spool line by line: each channel owns a {@link LineSplitter}
 * (bounded by {@code maxLineBytes}) and offers every line without waiting, so a pipe reader never
 * blocks; lines the spool's queue cannot take are dropped and counted there. It also counts each
 * service's lines logged at an error level ({@link LogLevel}), for the error-rate metrics.
 * Thread-safe: each pipe reader thread writes its own channel; the counts are read from any thread.
 */
public final class SpoolCapture implements OutputSink {
    private final Spool spool;
    private final int maxLineBytes;
    private final ConcurrentHashMap<String, LongAdder> errorLines = new ConcurrentHashMap<>();

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
        LongAdder errors = errorLines.computeIfAbsent(service, k -> new LongAdder());
        LineSplitter.LineSink sink = (line, flags) -> {
            if (LogLevel.isError(line)) {
                errors.increment();
            }
            spool.offer(service, s, flags, line);
        };
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

    /** Lines logged at an error level per service since the agent started (also those the queue dropped). */
    public Map<String, Long> errorLines() {
        Map<String, Long> out = new TreeMap<>();
        errorLines.forEach((service, n) -> out.put(service, n.sum()));
        return out;
    }
}
