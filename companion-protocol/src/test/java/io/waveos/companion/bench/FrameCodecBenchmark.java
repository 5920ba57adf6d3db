package io.waveos.companion.bench;

import io.waveos.companion.frame.Endpoint;
import io.waveos.companion.frame.Frame;
import io.waveos.companion.frame.FrameDecoder;
import io.waveos.companion.frame.FrameEncoder;
import io.waveos.companion.frame.FrameLimits;
import io.waveos.companion.frame.LinkAuth;
import io.waveos.companion.frame.LinkKey;
import io.waveos.companion.frame.LinkKeys;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Frames encoded plus decoded per second for a 64-byte authenticated heartbeat payload on one core
 * (target: at least 1 M/s). Run with {@code bench/jmh.sh}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FrameCodecBenchmark {
    private FrameEncoder encoder;
    private FrameDecoder decoder;
    private byte[] payload;
    private long counter;
    private int keyId;

    @Setup
    public void setUp() {
        byte[] d2g = new byte[32];
        byte[] g2d = new byte[32];
        for (int i = 0; i < 32; i++) {
            d2g[i] = (byte) i;
            g2d[i] = (byte) (0x80 + i);
        }
        LinkKeys keys = new LinkKeys(new LinkKey(1, d2g), new LinkKey(1, g2d));
        encoder = FrameEncoder.authenticated(FrameLimits.DEFAULT, LinkAuth.of(Endpoint.DEVICE, 16, keys));
        decoder = FrameDecoder.authenticated(FrameLimits.DEFAULT, LinkAuth.of(Endpoint.GUARDIAN, 16, keys), 0);
        keyId = encoder.sendKeyId();
        payload = new byte[64];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 7);
        }
    }

    @Benchmark
    public List<Frame> encodeAndDecode() {
        byte[] wire = encoder.encode(Frame.authenticated(keyId, ++counter, payload));
        return decoder.feed(wire, 0, wire.length);
    }

    @Benchmark
    public byte[] encodeOnly() {
        return encoder.encode(Frame.authenticated(keyId, ++counter, payload));
    }
}
