package io.waveos.hil.rig;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A noisy wire between the device's and the Guardian's serial lines in tier 2: the rig opens the inner
 * ends of two {@code socat} PTY pairs and copies bytes both ways, flipping each bit with the bit-error
 * rate in force ({@link #noise}; 0 by default). One daemon thread a direction, blocked in reads; they
 * end when a PTY closes (the socat processes are killed at the end of the run). Flips use a seeded
 * random source, so the same seed flips the same bit positions of the same byte stream.
 */
final class NoisyRelay implements AutoCloseable {
    private final InputStream fromDevice;
    private final OutputStream toGuardian;
    private final InputStream fromGuardian;
    private final OutputStream toDevice;
    private volatile double ber;
    private final AtomicLong flipped = new AtomicLong();

    private NoisyRelay(Path deviceSide, Path guardianSide) throws IOException {
        this.fromDevice = new FileInputStream(deviceSide.toFile());
        this.toDevice = new FileOutputStream(deviceSide.toFile());
        this.fromGuardian = new FileInputStream(guardianSide.toFile());
        this.toGuardian = new FileOutputStream(guardianSide.toFile());
    }

    /** Opens both inner PTY ends and starts copying, without noise. */
    static NoisyRelay start(Path deviceSide, Path guardianSide, long seed) throws IOException {
        NoisyRelay r = new NoisyRelay(deviceSide, guardianSide);
        r.pump("relay device->guardian", r.fromDevice, r.toGuardian, new Random(seed));
        r.pump("relay guardian->device", r.fromGuardian, r.toDevice, new Random(seed * 31 + 7));
        return r;
    }

    /** From now on every bit on the wire is flipped with probability {@code bitErrorRate} (0: a clean wire). */
    void noise(double bitErrorRate) {
        this.ber = bitErrorRate;
    }

    /** Bits flipped so far (for the run's notes). */
    long flipped() {
        return flipped.get();
    }

    private void pump(String name, InputStream in, OutputStream out, Random random) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[512];
            try {
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    double rate = ber;
                    if (rate > 0) {
                        for (int i = 0; i < n; i++) {
                            for (int bit = 0; bit < 8; bit++) {
                                if (random.nextDouble() < rate) {
                                    buf[i] ^= (byte) (1 << bit);
                                    flipped.incrementAndGet();
                                }
                            }
                        }
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // the PTY closed under the relay: the run is over (or socat died, which ends the link)
                return;
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() {
        for (AutoCloseable c : new AutoCloseable[] {fromDevice, toDevice, fromGuardian, toGuardian}) {
            try {
                c.close();
            } catch (Exception e) {
                // closing a PTY end the other side already closed: nothing left to release
                continue;
            }
        }
    }
}
