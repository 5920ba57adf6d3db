package io.waveos.companion.transport;

/**
 * A monotonic time source in nanoseconds, for delays in {@link PipeTransport}. Only differences are
 * meaningful. The simulator passes its virtual clock (e.g. {@code clock::nanos}); never the wall clock.
 */
@FunctionalInterface
public interface Ticker {
    long nanos();
}
