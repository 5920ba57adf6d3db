package io.waveos.hil.service;

import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * A stand-in for a legacy service. It prints {@code started NAME pid P}, then {@code tick N ok}
 * once a second, and performs actions written as {@code KIND:AFTER_MS:CODE:BYTES_PER_S}:
 *
 * <ul>
 *   <li>{@code crash}: dies at once with status 134 (as an abort would), no cleanup;
 *   <li>{@code exit}: exits with status CODE;
 *   <li>{@code hang}: stops ticking and stops reading its control file, forever (still alive);
 *   <li>{@code leak}: retains BYTES_PER_S more heap every second until the JVM runs out;
 *   <li>{@code spin}: burns a CPU in a busy loop while still ticking;
 *   <li>{@code flood}: writes log lines to stdout as fast as it can;
 *   <li>{@code corrupt}: its ticks become binary garbage.
 * </ul>
 *
 * <p>Command line: {@code FakeService NAME CONTROL_FILE [ACTION...]}. Actions on the command line
 * run at every start, AFTER_MS after it; lines appended to CONTROL_FILE after the start run AFTER_MS
 * after they are read (the control file is polled every 20 ms); lines of {@code CONTROL_FILE.sticky}
 * run at every start, like command-line actions. Exits 2 on a malformed action.
 * Depends on the JDK only, so it starts in a few tens of milliseconds with small-JVM flags.
 */
public final class FakeService {
    private final String name;
    private final PrintStream out;
    private final List<long[]> leaked = new ArrayList<>();
    private volatile boolean corrupt;
    private volatile boolean hung;

    private FakeService(String name, PrintStream out) {
        this.name = name;
        this.out = out;
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: FakeService NAME CONTROL_FILE [KIND:AFTER_MS:CODE:BYTES_PER_S...]");
            Runtime.getRuntime().halt(2);
        }
        FakeService s = new FakeService(args[0], System.out);
        s.out.println("started " + args[0] + " pid " + ProcessHandle.current().pid());
        s.out.flush();
        long start = System.nanoTime();
        List<Pending> pending = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            pending.add(Pending.parse(args[i], start));
        }
        java.nio.file.Path sticky = java.nio.file.Path.of(args[1] + ".sticky");
        if (java.nio.file.Files.exists(sticky)) {
            for (String line : java.nio.file.Files.readAllLines(sticky, StandardCharsets.US_ASCII)) {
                if (!line.isBlank()) {
                    pending.add(Pending.parse(line.trim(), start));
                }
            }
        }
        RandomAccessFile control = new RandomAccessFile(args[1], "r");
        long offset = control.length();
        long nextTick = start;
        long tick = 0;
        StringBuilder partial = new StringBuilder();
        while (true) {
            long now = System.nanoTime();
            if (s.hung) {
                LockSupport.park();
                continue;
            }
            if (control.length() > offset) {
                control.seek(offset);
                byte[] bytes = new byte[(int) (control.length() - offset)];
                control.readFully(bytes);
                offset += bytes.length;
                partial.append(new String(bytes, StandardCharsets.US_ASCII));
                int nl;
                while ((nl = partial.indexOf("\n")) >= 0) {
                    pending.add(Pending.parse(partial.substring(0, nl).trim(), now));
                    partial.delete(0, nl + 1);
                }
            }
            for (Pending p : List.copyOf(pending)) {
                if (now >= p.due) {
                    pending.remove(p);
                    s.perform(p);
                }
            }
            if (now >= nextTick) {
                s.tick(tick++);
                nextTick += 1_000_000_000L;
                s.leakOneSecond();
            }
            LockSupport.parkNanos(20_000_000L);
        }
    }

    private void tick(long n) {
        if (corrupt) {
            byte[] garbage = new byte[48];
            new java.util.Random(n).nextBytes(garbage);
            out.write(garbage, 0, garbage.length);
            out.write('\n');
        } else {
            out.println("tick " + n + " ok heap_retained_bytes " + leaked.size() * 8L * LEAK_CHUNK);
        }
        out.flush();
    }

    private static final int LEAK_CHUNK = 16 * 1024;
    private long leakRate;

    private void leakOneSecond() {
        for (long left = leakRate; left > 0; left -= 8L * LEAK_CHUNK) {
            long[] chunk = new long[LEAK_CHUNK];
            java.util.Arrays.fill(chunk, leaked.size());
            leaked.add(chunk);
        }
    }

    private void perform(Pending p) {
        out.println("action " + p.kind + " for " + name);
        out.flush();
        switch (p.kind) {
            case "crash" -> Runtime.getRuntime().halt(134);
            case "exit" -> Runtime.getRuntime().halt(p.code);
            case "hang" -> hung = true;
            case "leak" -> leakRate += p.bytesPerSecond;
            case "spin" -> {
                Thread t = new Thread(() -> {
                    long x = 0;
                    while (true) {
                        x = x * 31 + 7;
                        if (x == 42) {
                            out.println("unlikely");
                        }
                    }
                }, "spin");
                t.setDaemon(true);
                t.start();
            }
            case "flood" -> {
                Thread t = new Thread(this::flood, "flood");
                t.setDaemon(true);
                t.start();
            }
            case "corrupt" -> corrupt = true;
            default -> {
                System.err.println("unknown action " + p.kind);
                Runtime.getRuntime().halt(2);
            }
        }
    }

    private void flood() {
        byte[] line = ("flood " + name + " 0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnop\n")
                .getBytes(StandardCharsets.US_ASCII);
        while (!out.checkError()) {
            out.write(line, 0, line.length);
        }
    }

    /** An action waiting for its time. */
    private record Pending(String kind, long due, int code, long bytesPerSecond) {
        static Pending parse(String wire, long base) {
            String[] f = wire.split(":");
            if (f.length != 4) {
                System.err.println("malformed action '" + wire + "'; expected KIND:AFTER_MS:CODE:BYTES_PER_S");
                Runtime.getRuntime().halt(2);
            }
            try {
                return new Pending(f[0], base + Long.parseLong(f[1]) * 1_000_000L, Integer.parseInt(f[2]),
                        Long.parseLong(f[3]));
            } catch (NumberFormatException e) {
                System.err.println("malformed action '" + wire + "': " + e.getMessage());
                Runtime.getRuntime().halt(2);
                throw new IllegalStateException(e);
            }
        }
    }
}
