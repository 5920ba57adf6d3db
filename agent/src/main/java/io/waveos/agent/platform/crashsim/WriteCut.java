package io.waveos.agent.platform.crashsim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A power cut at the agent's Nth storage write. The rig {@link #arm arms} it by writing
 * {@code <dir>/cut-armed}; from then on the agent's adapters count their mutating operations (one port
 * method call is one operation, as {@code CrashingStorage.mutations()} counts them); the Nth is not
 * performed: the adapter writes {@code <dir>/cut-tripped} naming it, and that thread and every later
 * storage operation of the agent block forever, until the rig's SIGKILL. While nothing is armed, an
 * operation costs one {@code stat} of the arm file.
 *
 * <p>Thread-safe.
 */
public final class WriteCut {
    static final String ARMED = "cut-armed";
    static final String TRIPPED = "cut-tripped";

    /** Which operations count. */
    public enum Scope {
        /** Every mutating operation of the agent on either storage port. */
        ANY,
        /** Only those on paths under {@code <state>/updates}. */
        UPDATES
    }

    private final Path armFile;
    private final Path tripFile;
    private final Path updates;
    private final AtomicLong counted = new AtomicLong();
    private volatile boolean armed;
    private volatile boolean tripped;
    private volatile Scope scope = Scope.ANY;
    private volatile long nth;

    WriteCut(Path dir, Path updates) {
        this.armFile = dir.resolve(ARMED);
        this.tripFile = dir.resolve(TRIPPED);
        this.updates = ShadowModel.norm(updates);
    }

    /** Arms a cut just before the {@code nth} operation in {@code scope}, counted from now. */
    public static void arm(Path dir, Scope scope, int nth) throws IOException {
        if (nth < 1) {
            throw new IllegalArgumentException("nth must be at least 1, got " + nth);
        }
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + ARMED + ".tmp");
        Files.writeString(tmp, scope.name() + " " + nth + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, dir.resolve(ARMED), StandardCopyOption.ATOMIC_MOVE);
    }

    /** What the agent was about to do when an armed cut tripped; empty while it has not. */
    public static Optional<String> tripped(Path dir) throws IOException {
        try {
            return Optional.of(Files.readString(dir.resolve(TRIPPED), StandardCharsets.UTF_8).trim());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Removes the arm and the trip record (after the cut, before the next boot). */
    public static void disarm(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(ARMED));
        Files.deleteIfExists(dir.resolve(TRIPPED));
    }

    /** Before a mutating operation on {@code path}: counts it, and never returns if it is the cut. */
    void before(String operation, Path path) throws IOException {
        alive();
        if (!armed) {
            if (!Files.exists(armFile)) {
                return;
            }
            String[] words = Files.readString(armFile, StandardCharsets.US_ASCII).trim().split(" ");
            scope = Scope.valueOf(words[0]);
            nth = Long.parseLong(words[1]);
            armed = true;
        }
        if (scope == Scope.UPDATES && !ShadowModel.norm(path).startsWith(updates)) {
            return;
        }
        long n = counted.incrementAndGet();
        if (n == nth) {
            tripped = true;
            Files.writeString(tripFile, "operation " + n + " (" + scope.name().toLowerCase(java.util.Locale.ROOT)
                    + "): " + operation + " " + path + "\n", StandardCharsets.UTF_8);
            block();
        }
    }

    /** Before any operation: blocks for good once the cut has tripped. */
    void alive() {
        if (tripped) {
            block();
        }
    }

    private static void block() {
        while (true) {
            LockSupport.park(WriteCut.class); // the power is off: only the rig's SIGKILL ends this
        }
    }
}
