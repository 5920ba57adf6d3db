package io.waveos.companion.transport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Raw echo round trip over a socat PTY pair with jSerialComm on both ends: one side sends 64 bytes,
 * the other echoes every chunk it reads, and the sender waits (blocking, not spinning) until all 64
 * came back. Prints p50/p99/max over the measured rounds. The baseline for the request-to-decision
 * benchmark; not a test (no timed assertions anywhere).
 *
 * <p>Usage: {@code PtyEchoBench [rounds=1000] [warmup=200]}; needs socat on the PATH.
 */
public final class PtyEchoBench {
    private static final int PAYLOAD_BYTES = 64;

    private PtyEchoBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        Path dir = Files.createTempDirectory("pty-echo-bench");
        try (SocatPtyPair socat = SocatPtyPair.start(dir)) {
            long[] nanos = run(socat, dir, rounds, warmup);
            Arrays.sort(nanos);
            System.out.printf("pty echo, %d-byte payload, jSerialComm both ends, %d rounds after %d warm-up:%n",
                    PAYLOAD_BYTES, rounds, warmup);
            System.out.printf("  p50 %.1f us   p90 %.1f us   p99 %.1f us   max %.1f us   mean %.1f us%n",
                    micros(percentile(nanos, 50)), micros(percentile(nanos, 90)), micros(percentile(nanos, 99)),
                    micros(nanos[nanos.length - 1]), micros((long) Arrays.stream(nanos).average().orElse(0)));
        } finally {
            deleteRecursively(dir);
        }
    }

    private static long[] run(SocatPtyPair socat, Path dir, int rounds, int warmup) throws Exception {
        JSerialCommNativeLibrary nativeLibrary = new JSerialCommNativeLibrary(dir.resolve("native"));
        SerialSettings settings = SerialSettings.of(115_200);
        SerialTransport echo = new SerialTransport(socat.b().toString(), settings, nativeLibrary);
        SerialTransport client = new SerialTransport(socat.a().toString(), settings, nativeLibrary);
        Semaphore roundDone = new Semaphore(0);
        long[] received = {0};
        long[] expected = {0};
        try {
            echo.open(new ByteTransport.Receiver() {
                @Override
                public void onBytes(byte[] buf, int off, int len) {
                    try {
                        echo.send(Arrays.copyOfRange(buf, off, off + len));
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }

                @Override
                public void onClosed(String reason) {
                }
            });
            client.open(new ByteTransport.Receiver() {
                @Override
                public void onBytes(byte[] buf, int off, int len) {
                    synchronized (received) {
                        received[0] += len;
                        if (received[0] == expected[0]) {
                            roundDone.release();
                        }
                    }
                }

                @Override
                public void onClosed(String reason) {
                }
            });
            byte[] payload = new byte[PAYLOAD_BYTES];
            new Random(1).nextBytes(payload);
            long[] nanos = new long[rounds];
            for (int i = -warmup; i < rounds; i++) {
                synchronized (received) {
                    expected[0] += PAYLOAD_BYTES;
                }
                long start = System.nanoTime();
                client.send(payload);
                if (!roundDone.tryAcquire(5, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("no echo within 5 s in round " + i);
                }
                long elapsed = System.nanoTime() - start;
                if (i >= 0) {
                    nanos[i] = elapsed;
                }
            }
            return nanos;
        } finally {
            client.close();
            echo.close();
        }
    }

    private static long percentile(long[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double micros(long nanos) {
        return nanos / 1000.0;
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
